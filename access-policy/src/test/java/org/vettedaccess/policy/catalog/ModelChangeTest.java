package org.vettedaccess.policy.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.ModelRecord;
import org.vettedaccess.contracts.policy.ModelRecord.Disclosure;

/** Which catalog changes apply at once (they only narrow access) and which need a second policy admin. */
class ModelChangeTest {

    private static final Disclosure CARD = new Disclosure("model-card", "https://lab.example/card", "ab".repeat(32));
    private static final Disclosure EVALS =
            new Disclosure("evaluation-summary", "https://lab.example/evals", "cd".repeat(32));

    private static ModelRecord frontier() {
        return new ModelRecord(
                "frontier",
                "sim",
                3e25,
                List.of("cyber-uplift"),
                "SYSTEMIC",
                3,
                "ACTIVE",
                4,
                List.of(CARD),
                17L,
                null,
                null);
    }

    private static ModelRecord with(
            double flop, List<String> flags, int tier, String status, String route, List<Disclosure> documents) {
        return new ModelRecord(
                "frontier", route, flop, flags, "SYSTEMIC", tier, status, 5, documents, null, null, null);
    }

    @Test
    void narrowingChangesApplyAtOnce() {
        ModelRecord before = frontier();
        assertTrue(
                ModelChange.restrictive(before, with(3e25, List.of("cyber-uplift"), 3, "ACTIVE", "sim", List.of(CARD))),
                "no change loosens nothing");
        assertTrue(ModelChange.restrictive(
                before, with(5e25, List.of("cyber-uplift"), 3, "ACTIVE", "sim", List.of(CARD))));
        assertTrue(ModelChange.restrictive(
                before, with(3e25, List.of("cyber-uplift", "bio-uplift"), 3, "ACTIVE", "sim", List.of(CARD))));
        assertTrue(ModelChange.restrictive(
                before, with(3e25, List.of("cyber-uplift"), 3, "SUSPENDED", "sim", List.of(CARD))));
        assertTrue(ModelChange.restrictive(
                before, with(3e25, List.of("cyber-uplift"), 3, "ACTIVE", "sim", List.of(CARD, EVALS))));
    }

    @Test
    void everyLooseningOrRedirectionWaitsForASecondAdmin() {
        ModelRecord before = frontier();
        assertFalse(ModelChange.restrictive(null, before), "a new model");
        assertFalse(
                ModelChange.restrictive(before, with(0, List.of("cyber-uplift"), 3, "ACTIVE", "sim", List.of(CARD))),
                "training FLOP lowered");
        assertFalse(
                ModelChange.restrictive(before, with(3e25, List.of(), 3, "ACTIVE", "sim", List.of(CARD))),
                "an eval flag removed");
        assertFalse(
                ModelChange.restrictive(before, with(3e25, List.of("cyber-uplift"), 2, "ACTIVE", "sim", List.of(CARD))),
                "required tier lowered");
        assertFalse(
                ModelChange.restrictive(
                        before, with(3e25, List.of("cyber-uplift"), 3, "ACTIVE", "other", List.of(CARD))),
                "another upstream route");
        assertFalse(
                ModelChange.restrictive(before, with(3e25, List.of("cyber-uplift"), 3, "ACTIVE", "sim", List.of())),
                "a disclosure removed");
        ModelRecord suspended = with(3e25, List.of("cyber-uplift"), 3, "SUSPENDED", "sim", List.of(CARD));
        assertFalse(ModelChange.restrictive(suspended, before), "reactivated");
        assertFalse(
                ModelChange.restrictive(before, with(9e25, List.of(), 3, "SUSPENDED", "sim", List.of(CARD))),
                "mixed: stricter FLOP and status, but a flag removed");
        ModelRecord reasoning = new ModelRecord(
                "frontier",
                "sim",
                3e25,
                List.of("cyber-uplift"),
                "SYSTEMIC",
                3,
                "ACTIVE",
                5,
                List.of(CARD),
                null,
                "REASONING",
                null);
        assertFalse(ModelChange.restrictive(before, reasoning), "another parameter family");
        ModelRecord nativeApi = new ModelRecord(
                "frontier",
                "sim",
                3e25,
                List.of("cyber-uplift"),
                "SYSTEMIC",
                3,
                "ACTIVE",
                5,
                List.of(CARD),
                null,
                null,
                "NATIVE");
        assertFalse(ModelChange.restrictive(before, nativeApi), "another Responses API mode");
    }

    @Test
    void theLeafHoldsEveryFieldADecisionDependsOn() {
        UUID change = UUID.randomUUID();
        Map<String, Object> leaf = ModelChange.leaf(frontier(), List.of("paula-sub", "pete-sub"), change);
        assertEquals("frontier", leaf.get("modelId"));
        assertEquals("sim", leaf.get("upstreamRoute"));
        assertEquals(3e25, leaf.get("trainingFlop"));
        assertEquals(List.of("cyber-uplift"), leaf.get("evalFlags"));
        assertEquals("SYSTEMIC", leaf.get("riskClass"));
        assertEquals(3, leaf.get("requiredTier"));
        assertEquals("ACTIVE", leaf.get("status"));
        assertEquals(4, leaf.get("version"));
        assertEquals("CHAT", leaf.get("parameterFamily"), "a version without one is classic chat");
        assertEquals("TRANSLATED", leaf.get("responsesApi"));
        assertEquals(
                List.of(Map.of("kind", "model-card", "url", "https://lab.example/card", "sha256", "ab".repeat(32))),
                leaf.get("disclosures"));
        assertEquals(List.of("paula-sub", "pete-sub"), leaf.get("actors"));
        assertEquals(change.toString(), leaf.get("changeId"));
        assertFalse(ModelChange.leaf(frontier(), List.of("paula-sub"), null).containsKey("changeId"));
        assertEquals("model:frontier:v4", ModelChange.key("frontier", 4));
    }
}
