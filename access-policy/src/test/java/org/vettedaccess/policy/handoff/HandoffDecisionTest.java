package org.vettedaccess.policy.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.vettedaccess.support.problem.ProblemException;

/** A hand-off's grant ends within the tier's maximum and the KYC approval; a refusal needs a reason. */
class HandoffDecisionTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void theGrantLastsTheDaysAskedCappedByTheTierAndTheApproval() {
        assertEquals(NOW.plus(Duration.ofDays(30)), new HandoffDecision(30, null).grantEnd(NOW, 90, null));
        assertEquals(NOW.plus(Duration.ofDays(90)), new HandoffDecision(null, null).grantEnd(NOW, 90, null));
        assertEquals(NOW.plus(Duration.ofDays(90)), new HandoffDecision(400, null).grantEnd(NOW, 90, null));
        Instant kycEnds = NOW.plus(Duration.ofDays(10));
        assertEquals(kycEnds, new HandoffDecision(30, null).grantEnd(NOW, 90, kycEnds));
        ProblemException zero =
                assertThrows(ProblemException.class, () -> new HandoffDecision(0, null).grantEnd(NOW, 90, null));
        assertEquals(400, zero.type().status());
    }

    @Test
    void aRefusalNeedsAReasonTheResearcherCanRead() {
        assertEquals("Purpose too broad", new HandoffDecision(null, "  Purpose too broad ").refusalReason());
        assertThrows(ProblemException.class, () -> new HandoffDecision(null, " ").refusalReason());
        assertThrows(ProblemException.class, () -> new HandoffDecision(null, null).refusalReason());
        assertThrows(ProblemException.class, () -> new HandoffDecision(null, "x".repeat(1001)).refusalReason());
    }
}
