package org.vettedaccess.ledger.core;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * A C2SP {@code tlog-checkpoint} body: {@code <origin>\n<tree size>\n<base64 root hash>\n}. It is what a
 * {@link SignedNote} signs.
 */
public record Checkpoint(String origin, long size, byte[] rootHash) {

    public Checkpoint {
        if (origin == null || origin.isBlank() || origin.contains("\n")) {
            throw new IllegalArgumentException("a checkpoint origin is one non-empty line");
        }
        if (size < 0 || rootHash == null || rootHash.length != Hashes.SIZE) {
            throw new IllegalArgumentException("a checkpoint needs a size ≥ 0 and a 32-byte root hash");
        }
    }

    /**
     * Whether {@code later} is this tree or an append-only extension of it: the same origin, and either the same size
     * and root, or a larger size and a consistency proof (RFC 9162 §2.1.4) from this tree to it that verifies. The
     * proof is asked for only when the sizes differ, so a caller fetches it only then. A checkpoint of the same size
     * with another root, a smaller one, or a larger one the proof does not join to this root (a fork) does not
     * extend it. The receipt checks (the gateway's portal and {@code ledger-verifier receipt}) and the regulator's
     * page use this one rule.
     */
    public boolean isExtendedBy(Checkpoint later, Supplier<List<byte[]>> consistencyProof) {
        if (!origin.equals(later.origin()) || later.size() < size) {
            return false;
        }
        if (later.size() == size) {
            return Arrays.equals(rootHash, later.rootHash());
        }
        List<byte[]> proof = consistencyProof.get();
        return proof != null && Proofs.verifyConsistency(size, later.size(), rootHash, later.rootHash(), proof);
    }

    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n";
    }

    /** Parses a body; extension lines after the root hash are allowed by the spec and ignored here. */
    public static Checkpoint parse(String body) {
        String[] lines = body.split("\n", -1);
        if (lines.length < 4 || !body.endsWith("\n")) {
            throw new IllegalArgumentException("not a checkpoint: expected origin, size and root hash lines");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a checkpoint: bad tree size '" + lines[1] + "'");
        }
        if (size < 0 || !lines[1].equals(Long.toString(size))) {
            throw new IllegalArgumentException("not a checkpoint: bad tree size '" + lines[1] + "'");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a checkpoint: bad root hash");
        }
        return new Checkpoint(lines[0], size, root);
    }
}
