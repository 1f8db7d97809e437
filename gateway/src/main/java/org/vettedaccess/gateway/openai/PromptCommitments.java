package org.vettedaccess.gateway.openai;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A call's two secrets, from one draw of the strong generator: the prompt salt, and the request id, which stays a
 * random (version 4) UUID as {@link UUID#randomUUID()} makes it, from the same kind of generator. The ledger keeps
 * only the salted commitment SHA-256(salt ‖ body), never the prompt; the caller gets the salt to prove what it sent.
 */
final class PromptCommitments {

    /** Cloned per call: cheaper than looking the algorithm up among the providers each time. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final SecureRandom random = new SecureRandom();

    /**
     * @param requestId the call's id (its receipt)
     * @param salt the salt, base64, for the caller
     * @param commitment SHA-256(salt ‖ body), hex, for the ledger
     */
    record Drawn(UUID requestId, String salt, String commitment) {}

    Drawn draw(byte[] body) {
        byte[] random32 = new byte[32];
        random.nextBytes(random32);
        byte[] salt = Arrays.copyOf(random32, 16);
        return new Drawn(randomUuid(random32, 16), Base64.getEncoder().encodeToString(salt), commitment(salt, body));
    }

    /** A version 4 (random) UUID from 16 random bytes at {@code offset}, as {@link UUID#randomUUID()} builds it. */
    static UUID randomUuid(byte[] bytes, int offset) {
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (bytes[offset + i] & 0xff);
            least = (least << 8) | (bytes[offset + 8 + i] & 0xff);
        }
        most = (most & ~0xF000L) | 0x4000L; // version 4
        least = (least & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(most, least);
    }

    static String commitment(byte[] salt, byte[] body) {
        MessageDigest sha;
        try {
            sha = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        sha.update(salt);
        sha.update(body);
        return HexFormat.of().formatHex(sha.digest());
    }
}
