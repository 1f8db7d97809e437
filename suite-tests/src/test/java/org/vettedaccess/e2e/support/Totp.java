package org.vettedaccess.e2e.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 time-based one-time passwords as the realm's OTP policy makes them (HMAC-SHA1, 6 digits, 30 s), for
 * the demo staff users' enrolled secrets and for secrets a test enrols itself.
 *
 * <p>Keycloak refuses a code that was already used (the realm keeps {@code otpPolicyCodeReusable} false, as a
 * lab would), so {@link #nextCode} hands each user at most one code per period, waiting for the next period when
 * the user already signed in within this one.
 */
public final class Totp {

    public static final int PERIOD_SECONDS = 30;
    private static final Map<String, Long> LAST_STEP = new ConcurrentHashMap<>();

    private Totp() {}

    /** The demo secret enrolled for a demo staff user in the local realm (see identity/README.md). */
    public static byte[] demoSecret(String username) {
        return (username + "-demo-totp-secret").getBytes(StandardCharsets.US_ASCII);
    }

    /** The code for {@code secret} in the period that holds {@code at}. */
    public static String code(byte[] secret, Instant at) {
        return code(secret, at.getEpochSecond() / PERIOD_SECONDS);
    }

    /**
     * A code for {@code username} that has not been handed out before: this period's, or, when this user already
     * had this period's, the next period's once it starts (at most {@value #PERIOD_SECONDS} s of waiting).
     */
    public static String nextCode(String username, byte[] secret) {
        long step = LAST_STEP.compute(username, (user, last) -> {
            long now = Instant.now().getEpochSecond() / PERIOD_SECONDS;
            return last == null || last < now ? now : last + 1;
        });
        long wait = step * PERIOD_SECONDS * 1000 - System.currentTimeMillis();
        if (wait > 0) {
            // Printed so that the cost of refusing reused codes shows in the test output (see identity/README.md).
            System.out.printf(
                    "TOTP: %s signed in within this period already; waiting %d ms for the next%n", username, wait);
            try {
                Thread.sleep(wait + 50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a fresh TOTP period", e);
            }
        }
        return code(secret, step);
    }

    private static String code(byte[] secret, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24)
                    | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8)
                    | (hash[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
