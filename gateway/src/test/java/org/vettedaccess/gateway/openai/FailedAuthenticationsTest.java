package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailedAuthenticationsTest {

    private static FailedAuthentications limit(int failures, Duration window) {
        return new FailedAuthentications(new FailedAuthentications.Limits() {
            public int limit() {
                return failures;
            }

            public Duration window() {
                return window;
            }

            public long clients() {
                return 1_000;
            }

            public Duration rememberValid() {
                return Duration.ofMinutes(10);
            }
        });
    }

    @Test
    void aClientIsRefusedOnceItsFailuresReachTheLimitAndOthersAreNot() {
        FailedAuthentications failures = limit(3, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            failures.checkAllowed("10.0.0.1", "va-guess" + i);
            failures.failed("10.0.0.1");
        }
        OpenAiError refused = assertThrows(OpenAiError.class, () -> failures.checkAllowed("10.0.0.1", "va-guess"));
        assertEquals(429, refused.status());
        assertEquals("too_many_failed_authentications", refused.code());
        assertDoesNotThrow(() -> failures.checkAllowed("10.0.0.2", "va-guess"), "another client has its own count");
    }

    @Test
    void aCredentialThatAuthenticatedIsStillLookedUpForAClientOverItsLimit() {
        FailedAuthentications failures = limit(1, Duration.ofMinutes(1));
        failures.succeeded("va-valid");
        failures.failed("10.0.0.1");
        assertThrows(OpenAiError.class, () -> failures.checkAllowed("10.0.0.1", "va-guess"));
        assertDoesNotThrow(() -> failures.checkAllowed("10.0.0.1", "va-valid"));
    }

    @Test
    void theCountEndsWithItsWindow() throws InterruptedException {
        FailedAuthentications failures = limit(1, Duration.ofMillis(200));
        failures.failed("10.0.0.1");
        assertThrows(OpenAiError.class, () -> failures.checkAllowed("10.0.0.1", "va-guess"));
        Thread.sleep(400);
        assertDoesNotThrow(() -> failures.checkAllowed("10.0.0.1", "va-guess"));
    }
}
