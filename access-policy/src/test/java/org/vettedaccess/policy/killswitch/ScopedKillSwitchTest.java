package org.vettedaccess.policy.killswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.vettedaccess.policy.change.ChangeFeed;
import org.vettedaccess.policy.ledger.LedgerRecorder;
import org.vettedaccess.support.problem.ProblemException;

/** A kill switch's optional model (ADR 0045): only with INSTITUTION or COUNTRY, and named in its leaf. */
class ScopedKillSwitchTest {

    private final LedgerRecorder ledger = mock(LedgerRecorder.class);
    private final KillSwitchService service = new KillSwitchService(
            mock(KillSwitchRepository.class),
            ledger,
            mock(ChangeFeed.class),
            Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC));

    @SuppressWarnings("unchecked")
    private Map<String, Object> engagedLeaf() {
        ArgumentCaptor<Map<String, Object>> entry = ArgumentCaptor.forClass(Map.class);
        verify(ledger).restrictive(anyString(), eq("killswitch.engaged"), entry.capture());
        return entry.getValue();
    }

    @Test
    void anInstitutionSwitchOnAModelIsStoredBareAndItsLeafNamesTheModel() {
        KillSwitchRecord engaged = service.engage(
                new KillSwitchRequest("INSTITUTION", "https://ror.org/052gg0110", "drill", "m1"), "admin");
        assertEquals("052gg0110", engaged.value(), "a ROR URL is stored as the bare id decisions compare");
        assertEquals("m1", engaged.model());
        assertEquals(
                Map.of("institutions", List.of("052gg0110"), "model", "m1"),
                engagedLeaf().get("scope"));
    }

    @Test
    void aSwitchWithoutAModelHasNoneInItsLeaf() {
        KillSwitchRecord engaged = service.engage(new KillSwitchRequest("COUNTRY", "DE", "drill"), "admin");
        assertNull(engaged.model());
        @SuppressWarnings("unchecked")
        Map<String, Object> scope = (Map<String, Object>) engagedLeaf().get("scope");
        assertFalse(scope.containsKey("model"), scope.toString());
    }

    @Test
    void onlyAnInstitutionOrCountrySwitchNamesAModel() {
        for (String scope : List.of("GLOBAL", "MODEL", "TIER")) {
            String value = scope.equals("GLOBAL") ? null : scope.equals("TIER") ? "1" : "m1";
            assertThrows(
                    ProblemException.class,
                    () -> service.engage(new KillSwitchRequest(scope, value, "drill", "m1"), "admin"),
                    scope);
        }
        assertThrows(
                ProblemException.class,
                () -> service.engage(new KillSwitchRequest("COUNTRY", "DE", "drill", " "), "admin"));
    }
}
