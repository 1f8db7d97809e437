package org.vettedaccess.policy.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vettedaccess.support.problem.ProblemException;

/** A manual KILL_SWITCH mitigation names a kill switch by id, never free text. */
class MitigationChangeTest {

    private static final UUID ID = UUID.fromString("3f2c9a1e-0b7d-4c55-9e1a-5d0c2b8f4a61");

    @Test
    void theIdOrTheOneClickFormNamesTheSwitch() {
        assertEquals(ID, MitigationChange.killSwitchId(ID.toString()));
        assertEquals(ID, MitigationChange.killSwitchId("  kill switch " + ID + " "));
        assertEquals(
                ID, MitigationChange.killSwitchId("Kill switch " + ID.toString().toUpperCase()));
        assertEquals("kill switch " + ID, MitigationChange.killSwitchRef(ID));
    }

    @Test
    void freeTextOrASloppyIdIsRefusedOnTheChangeField() {
        for (String change : new String[] {
            null, "", "engaged the model's switch", "kill switch", "kill switch 42", "1-2-3-4-5", ID + " and more"
        }) {
            ProblemException refused =
                    assertThrows(ProblemException.class, () -> MitigationChange.killSwitchId(change), change);
            assertEquals(400, refused.type().status(), change);
            assertEquals("'change' must be the id of the kill switch that mitigated it.", refused.getMessage(), change);
        }
    }
}
