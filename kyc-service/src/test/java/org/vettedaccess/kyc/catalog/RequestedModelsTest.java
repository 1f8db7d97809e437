package org.vettedaccess.kyc.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.ModelRecord;
import org.vettedaccess.support.problem.ProblemException;

class RequestedModelsTest {

    private static final List<ModelRecord> CATALOG =
            List.of(model("small", 1, "ACTIVE"), model("frontier", 3, "ACTIVE"), model("paused", 1, "SUSPENDED"));

    private static ProblemException refused(List<String> models, Integer tier) {
        return assertThrows(ProblemException.class, () -> RequestedModels.check(CATALOG, models, tier));
    }

    @Test
    void catalogModelsAtTheirTierPass() {
        RequestedModels.check(CATALOG, List.of("small"), 1);
        RequestedModels.check(CATALOG, List.of("small", "frontier"), 3);
        // A draft may name the models before the tier.
        RequestedModels.check(CATALOG, List.of("frontier"), null);
    }

    @Test
    void anUnknownOrSuspendedModelIsRefusedNamingTheField() {
        ProblemException unknown = refused(List.of("small", "sim-small"), 1);
        assertEquals(400, unknown.type().status());
        assertTrue(unknown.getMessage().contains("requestedModels"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("sim-small"), unknown.getMessage());
        ProblemException suspended = refused(List.of("paused"), 1);
        assertTrue(suspended.getMessage().contains("suspended"), suspended.getMessage());
    }

    @Test
    void aTierBelowTheModelsNeedIsRefused() {
        ProblemException low = refused(List.of("small", "frontier"), 2);
        assertTrue(low.getMessage().contains("requestedTier"), low.getMessage());
        assertTrue(low.getMessage().contains("at least 3"), low.getMessage());
    }

    @Test
    void atSubmitARequestTheCatalogNoLongerAllowsIsA422NamingTheField() {
        RequestedModels.recheck(CATALOG, List.of("small"), 1);
        ProblemException suspended =
                assertThrows(ProblemException.class, () -> RequestedModels.recheck(CATALOG, List.of("paused"), 1));
        assertEquals(422, suspended.type().status());
        assertTrue(suspended.getMessage().startsWith("'requestedModels'"), suspended.getMessage());
        ProblemException low =
                assertThrows(ProblemException.class, () -> RequestedModels.recheck(CATALOG, List.of("frontier"), 2));
        assertEquals(422, low.type().status());
        assertTrue(low.getMessage().startsWith("'requestedTier'"), low.getMessage());
    }

    private static ModelRecord model(String id, int requiredTier, String status) {
        return new ModelRecord(
                id,
                "route-" + id,
                1e24,
                List.of(),
                "STANDARD",
                requiredTier,
                status,
                1,
                List.of(),
                1L,
                "CHAT",
                "NATIVE");
    }
}
