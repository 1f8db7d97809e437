package org.vettedaccess.ledger.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * C2SP {@code tlog-cosignature} Ed25519 cosignatures ({@code cosignature/v1}, https://c2sp.org/tlog-cosignature).
 * A witness signs {@code "cosignature/v1\ntime <t>\n" ‖ checkpoint body}; the signature line is
 * {@code — <name> base64(key id ‖ u64 timestamp ‖ Ed25519 signature)}, with the key id SHA-256(name ‖ "\n" ‖ 0x04 ‖
 * public key)[:4]. Keys are written like note keys with algorithm byte 0x04: {@code name+id+base64(0x04 ‖ key)}.
 */
public final class Cosignature {

    static final byte ALGORITHM = 0x04;
    private static final String DASH = "\u2014 ";

    private Cosignature() {}

    /** A witness's signing key. */
    public record Signer(String name, int keyId, PrivateKey privateKey, byte[] publicKey) {
        public Verifier verifier() {
            return new Verifier(name, keyId, NoteKeys.publicKey(publicKey), publicKey);
        }
    }

    /** A witness's public key, as a verifier trusts it. */
    public record Verifier(String name, int keyId, PublicKey publicKey, byte[] rawPublicKey) {
        public String vkey() {
            return name + "+" + String.format("%08x", keyId) + "+" + NoteKeys.base64(ALGORITHM, rawPublicKey);
        }
    }

    /** A cosignature that verified: whose, and the time the witness put in it. */
    public record Verified(Verifier witness, long timestamp) {}

    /** A new cosigner key, {@code PRIVATE+KEY+<name>+<id>+base64(0x04 ‖ seed)}. */
    public static String generateSignerKey(String name) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        byte[] publicKey = NoteKeys.publicFromSeed(seed);
        return "PRIVATE+KEY+" + name + "+" + String.format("%08x", NoteKeys.keyId(name, ALGORITHM, publicKey)) + "+"
                + NoteKeys.base64(ALGORITHM, seed);
    }

    public static Signer parseSigner(String text) {
        String[] parts = text.strip().split("\\+", 5);
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new IllegalArgumentException("not a cosigner key (PRIVATE+KEY+name+id+key)");
        }
        byte[] seed = NoteKeys.decodeKey(parts[4], ALGORITHM);
        byte[] publicKey = NoteKeys.publicFromSeed(seed);
        int id = NoteKeys.keyId(parts[2], ALGORITHM, publicKey);
        if (!String.format("%08x", id).equals(parts[3])) {
            throw new IllegalArgumentException("the cosigner key's id does not match its name and key");
        }
        return new Signer(parts[2], id, NoteKeys.privateKey(seed), publicKey);
    }

    public static Verifier parseVerifier(String vkey) {
        String[] parts = vkey.strip().split("\\+", 3);
        if (parts.length != 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("not a cosigner key (name+id+key)");
        }
        byte[] publicKey = NoteKeys.decodeKey(parts[2], ALGORITHM);
        int id = NoteKeys.keyId(parts[0], ALGORITHM, publicKey);
        if (!String.format("%08x", id).equals(parts[1])) {
            throw new IllegalArgumentException("the cosigner key's id does not match its name and key");
        }
        return new Verifier(parts[0], id, NoteKeys.publicKey(publicKey), publicKey);
    }

    /** The signature line (ending in a newline) of {@code signer} over a checkpoint body at {@code timestamp}. */
    public static String sign(String checkpointBody, Signer signer, long timestamp) {
        if (timestamp <= 0) {
            throw new IllegalArgumentException("a cosignature's timestamp is positive");
        }
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(signer.privateKey());
            ed25519.update(message(checkpointBody, timestamp));
            byte[] signature = ed25519.sign();
            byte[] blob = ByteBuffer.allocate(4 + 8 + signature.length)
                    .putInt(signer.keyId())
                    .putLong(timestamp)
                    .put(signature)
                    .array();
            return DASH + signer.name() + " " + Base64.getEncoder().encodeToString(blob) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519", e);
        }
    }

    /**
     * Checks one signature line against one witness key. Empty if the line is not by that key (another name or key
     * id: other signers' lines are ignored, as the spec asks); throws if it claims the key but does not verify.
     */
    public static Optional<Verified> verify(String checkpointBody, String line, Verifier witness) {
        String trimmed = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        if (!trimmed.startsWith(DASH)) {
            throw new IllegalArgumentException("not a signature line");
        }
        String[] fields = trimmed.substring(DASH.length()).split(" ");
        if (fields.length != 2 || !fields[0].equals(witness.name())) {
            return Optional.empty();
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(fields[1]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (blob.length != 4 + 8 + 64 || ByteBuffer.wrap(blob, 0, 4).getInt() != witness.keyId()) {
            return Optional.empty();
        }
        long timestamp = ByteBuffer.wrap(blob, 4, 8).getLong();
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(witness.publicKey());
            ed25519.update(message(checkpointBody, timestamp));
            if (timestamp > 0 && ed25519.verify(Arrays.copyOfRange(blob, 12, blob.length))) {
                return Optional.of(new Verified(witness, timestamp));
            }
        } catch (GeneralSecurityException e) {
            // falls through: a bad signature
        }
        throw new IllegalArgumentException("the cosignature by " + witness.name() + " is invalid");
    }

    /**
     * The distinct trusted witnesses with a valid cosignature on a signed note (a checkpoint with its signature
     * lines). Lines by unknown keys are ignored; a line that claims a trusted key and fails is not counted.
     */
    public static List<Verified> cosigners(String note, List<Verifier> trusted) {
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException("not a signed note: no blank line before the signatures");
        }
        String body = note.substring(0, split + 1);
        List<Verified> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String line : note.substring(split + 2).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            for (Verifier witness : trusted) {
                try {
                    Optional<Verified> verified = verify(body, line, witness);
                    if (verified.isPresent() && seen.add(witness.vkey())) {
                        found.add(verified.get());
                    }
                } catch (IllegalArgumentException e) {
                    // a forged or damaged line does not count
                }
            }
        }
        return found;
    }

    private static byte[] message(String checkpointBody, long timestamp) {
        return ("cosignature/v1\ntime " + timestamp + "\n" + checkpointBody).getBytes(StandardCharsets.UTF_8);
    }
}
