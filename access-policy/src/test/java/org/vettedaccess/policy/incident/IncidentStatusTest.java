package org.vettedaccess.policy.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncidentStatusTest {

    @Test
    void theLabAnswersInOrderAndClosedReportsStayClosed() {
        assertEquals(
                EnumSet.of(IncidentStatus.ACKNOWLEDGED, IncidentStatus.MITIGATED, IncidentStatus.REJECTED),
                IncidentStatus.REPORTED.next());
        assertEquals(
                EnumSet.of(IncidentStatus.TRIAGED, IncidentStatus.MITIGATED, IncidentStatus.REJECTED),
                IncidentStatus.ACKNOWLEDGED.next());
        assertEquals(EnumSet.of(IncidentStatus.MITIGATED, IncidentStatus.REJECTED), IncidentStatus.TRIAGED.next());
        assertEquals(EnumSet.of(IncidentStatus.DISCLOSED), IncidentStatus.MITIGATED.next());
        assertEquals(Set.of(), IncidentStatus.DISCLOSED.next());
        assertEquals(Set.of(), IncidentStatus.REJECTED.next());
        assertFalse(IncidentStatus.REPORTED.canBecome(IncidentStatus.TRIAGED), "triage comes after acknowledgement");
        assertFalse(IncidentStatus.REPORTED.canBecome(IncidentStatus.DISCLOSED), "nothing is disclosed unmitigated");
        assertFalse(IncidentStatus.REJECTED.canBecome(IncidentStatus.MITIGATED));
        assertFalse(IncidentStatus.MITIGATED.canBecome(IncidentStatus.REJECTED));
        for (IncidentStatus status : IncidentStatus.values()) {
            assertFalse(status.canBecome(status), status + " cannot repeat (one leaf per status)");
            assertFalse(status.canBecome(IncidentStatus.REPORTED));
        }
    }

    @Test
    void openUntilMitigatedOrRejectedAndEachStatusHasItsLeafType() {
        assertTrue(IncidentStatus.REPORTED.open());
        assertTrue(IncidentStatus.ACKNOWLEDGED.open());
        assertTrue(IncidentStatus.TRIAGED.open());
        assertFalse(IncidentStatus.MITIGATED.open());
        assertFalse(IncidentStatus.DISCLOSED.open());
        assertFalse(IncidentStatus.REJECTED.open());
        assertEquals("incident.acknowledged", IncidentStatus.ACKNOWLEDGED.leafType());
        assertEquals("incident.rejected", IncidentStatus.REJECTED.leafType());
    }

    @Test
    void theTextCommitmentIsTheSaltedHashTheReporterCanRecompute() {
        // SHA-256 of the 16 zero bytes followed by "abc", as any sha256sum computes it.
        String salt = "00".repeat(16);
        assertEquals(
                "277e7ff6d232b9763f4a66e8d05d210da32dac9c6dbce1026ad4cc98acb5fefe",
                IncidentService.commitment(salt, "abc"));
        assertFalse(IncidentService.commitment(salt, "abc")
                .equals(IncidentService.commitment("01" + "00".repeat(15), "abc")));
    }
}
