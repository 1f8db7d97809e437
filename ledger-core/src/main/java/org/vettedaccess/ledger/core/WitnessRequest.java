package org.vettedaccess.ledger.core;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The body of a C2SP {@code tlog-witness} {@code add-checkpoint} request (https://c2sp.org/tlog-witness):
 * {@code old <size>\n}, one base64 consistency-proof hash per line, an empty line, then the signed checkpoint.
 *
 * @param oldSize the size of the checkpoint the witness last cosigned (0 if none)
 * @param proof the consistency proof from {@code oldSize} to the checkpoint's size
 * @param checkpoint the checkpoint as a signed note
 */
public record WitnessRequest(long oldSize, List<byte[]> proof, String checkpoint) {

    public static final int MAX_PROOF = 63;

    public WitnessRequest {
        proof = List.copyOf(proof);
    }

    public String body() {
        StringBuilder body = new StringBuilder("old ").append(oldSize).append('\n');
        proof.forEach(
                hash -> body.append(Base64.getEncoder().encodeToString(hash)).append('\n'));
        return body.append('\n').append(checkpoint).toString();
    }

    /** Parses a request body; a malformed one is an {@link IllegalArgumentException} (a 400). */
    public static WitnessRequest parse(String body) {
        int blank = body.indexOf("\n\n");
        if (!body.startsWith("old ") || blank < 0) {
            throw new IllegalArgumentException("expected 'old <size>', proof lines, an empty line, a checkpoint");
        }
        String[] lines = body.substring(0, blank).split("\n");
        long oldSize;
        try {
            oldSize = Long.parseLong(lines[0].substring(4));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad old size line");
        }
        if (oldSize < 0 || !lines[0].equals("old " + oldSize)) {
            throw new IllegalArgumentException("bad old size line");
        }
        if (lines.length - 1 > MAX_PROOF) {
            throw new IllegalArgumentException("more than 63 consistency proof lines");
        }
        List<byte[]> proof = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            byte[] hash;
            try {
                hash = Base64.getDecoder().decode(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a proof line is not base64");
            }
            if (hash.length != Hashes.SIZE) {
                throw new IllegalArgumentException("a proof line is not a 32-byte hash");
            }
            proof.add(hash);
        }
        return new WitnessRequest(oldSize, proof, body.substring(blank + 2));
    }
}
