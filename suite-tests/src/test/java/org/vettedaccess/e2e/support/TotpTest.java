package org.vettedaccess.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The test helper's codes are RFC 6238's (Appendix B, SHA-1, the last 6 of its 8 digits). */
class TotpTest {

    private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void matchesTheRfc6238TestVectors() {
        assertEquals("287082", Totp.code(RFC_KEY, Instant.ofEpochSecond(59)));
        assertEquals("081804", Totp.code(RFC_KEY, Instant.ofEpochSecond(1111111109)));
        assertEquals("005924", Totp.code(RFC_KEY, Instant.ofEpochSecond(1234567890)));
        assertEquals("279037", Totp.code(RFC_KEY, Instant.ofEpochSecond(2000000000)));
    }
}
