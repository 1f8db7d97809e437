package org.vettedaccess.policy.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Salted commitments to text the ledger must not hold (a grant's purpose, a report's text, a refusal's reason): hex
 * SHA-256 of the salt's bytes followed by the text's UTF-8. Whoever is given the salt can open it; nobody can test a
 * guessed text against the log or link two equal texts.
 */
public final class Commitments {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Commitments() {}

    /** A fresh 16-byte salt, hex. */
    public static String salt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return HexFormat.of().formatHex(salt);
    }

    /** The commitment; a null salt gives the bare hash (grants issued before salting). */
    public static String of(String salt, String text) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            if (salt != null) {
                sha256.update(HexFormat.of().parseHex(salt));
            }
            return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
