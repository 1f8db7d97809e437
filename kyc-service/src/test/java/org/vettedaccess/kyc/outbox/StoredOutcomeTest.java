package org.vettedaccess.kyc.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.KycOutcome;

/**
 * The decision outbox stores the outcome for access-policy as JSON ({@code decision_outbox.policy_outcome}). Rows
 * written before the outcome became the shared {@link KycOutcome} (as {@code PendingOutcome}, without a
 * {@code kycLeaf}) must still be read and reported after an upgrade.
 */
class StoredOutcomeTest {

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

    @Test
    void aRowStoredBeforeTheUpgradeIsReportedWithItsLeaf() throws Exception {
        String stored = "{\"subject\":\"s-1\",\"assuranceLevel\":2,\"approvedTier\":2,\"status\":\"APPROVED\","
                + "\"institution\":\"https://ror.org/01\",\"country\":\"DE\",\"validUntil\":\"2027-01-01T00:00:00Z\","
                + "\"requestedTier\":2,\"requestedModels\":[\"m\"],\"purpose\":\"evals\"}";
        KycOutcome outcome = json.readValue(stored, KycOutcome.class);
        assertNull(outcome.kycLeaf());
        assertTrue(outcome.requestsGrant());

        KycOutcome reported = outcome.withKycLeaf(41L);
        assertEquals(
                new KycOutcome(
                        "s-1",
                        2,
                        2,
                        41L,
                        "APPROVED",
                        "https://ror.org/01",
                        "DE",
                        Instant.parse("2027-01-01T00:00:00Z"),
                        2,
                        List.of("m"),
                        "evals"),
                reported);
    }
}
