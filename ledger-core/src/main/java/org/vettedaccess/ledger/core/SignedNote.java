package org.vettedaccess.ledger.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/**
 * C2SP signed notes (the format of Go's {@code sumdb/note}): the text, a blank line, then one line per
 * signature: {@code — <name> <base64(4-byte key id ‖ Ed25519 signature)>}.
 */
public final class SignedNote {

    private static final String DASH = "\u2014 ";

    private SignedNote() {}

    public static String sign(String text, NoteKeys.Signer signer) {
        requireText(text);
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(signer.privateKey());
            ed25519.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] signature = ed25519.sign();
            byte[] line = ByteBuffer.allocate(4 + signature.length)
                    .putInt(signer.keyId())
                    .put(signature)
                    .array();
            return text + "\n" + DASH + signer.name() + " "
                    + Base64.getEncoder().encodeToString(line) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519", e);
        }
    }

    /**
     * Returns the note's text if a signature by {@code verifier} on it is valid; throws otherwise. Signatures by
     * other keys are ignored, as in Go's {@code note.Open}.
     */
    public static String open(String note, NoteKeys.Verifier verifier) {
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException("not a signed note: no blank line before the signatures");
        }
        String text = note.substring(0, split + 1);
        String[] lines = note.substring(split + 2).split("\n");
        for (String line : lines) {
            if (!line.startsWith(DASH)) {
                throw new IllegalArgumentException("not a signed note: malformed signature line");
            }
            String[] fields = line.substring(DASH.length()).split(" ");
            if (fields.length != 2 || !fields[0].equals(verifier.name())) {
                continue;
            }
            byte[] signature = Base64.getDecoder().decode(fields[1]);
            if (signature.length < 4 || ByteBuffer.wrap(signature, 0, 4).getInt() != verifier.keyId()) {
                continue;
            }
            if (verify(text, Arrays.copyOfRange(signature, 4, signature.length), verifier)) {
                return text;
            }
            throw new IllegalArgumentException("the signature by " + verifier.name() + " is invalid");
        }
        throw new IllegalArgumentException("the note has no signature by " + verifier.vkey());
    }

    private static boolean verify(String text, byte[] signature, NoteKeys.Verifier verifier) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(verifier.publicKey());
            ed25519.update(text.getBytes(StandardCharsets.UTF_8));
            return ed25519.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void requireText(String text) {
        if (text.isEmpty() || !text.endsWith("\n") || text.contains("\n\n")) {
            throw new IllegalArgumentException("a note's text ends with a newline and has no blank lines");
        }
    }
}
