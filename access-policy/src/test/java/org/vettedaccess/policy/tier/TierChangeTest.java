package org.vettedaccess.policy.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Which tier changes apply at once (they only narrow access) and which need a second policy admin. */
class TierChangeTest {

    private static final List<String> ALL = List.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings");

    /** Tier 2 as seeded. */
    private static TierRecord tier2() {
        return new TierRecord(2, 1, 2, 1, false, null, 30, 50000, 10000, 5_000_000L, 4096, ALL, 180, 30, 90, false, 9L);
    }

    private static final class B {
        int minAssurance = 2, reviewers = 1, rpm = 30, inputTpm = 50000, outputTpm = 10000, maxTokens = 4096;
        int maxGrantDays = 180, keyDefaultDays = 30, keyMaxDays = 90;
        boolean purposeRequired = false, autoGrant = false;
        Integer rescreenDays = null;
        Long tokenBudget = 5_000_000L;
        List<String> endpoints = ALL;

        TierRecord build() {
            return new TierRecord(
                    2,
                    2,
                    minAssurance,
                    reviewers,
                    purposeRequired,
                    rescreenDays,
                    rpm,
                    inputTpm,
                    outputTpm,
                    tokenBudget,
                    maxTokens,
                    endpoints,
                    maxGrantDays,
                    keyDefaultDays,
                    keyMaxDays,
                    autoGrant,
                    null);
        }
    }

    private static boolean restrictive(UnaryOperator<B> change) {
        return TierChange.restrictive(tier2(), change.apply(new B()).build());
    }

    @Test
    void narrowingChangesApplyAtOnce() {
        assertTrue(restrictive(b -> b), "no change loosens nothing");
        assertTrue(restrictive(b -> {
            b.rpm = 10;
            return b;
        }));
        assertTrue(restrictive(b -> {
            b.inputTpm = 1;
            b.outputTpm = 1;
            b.maxTokens = 100;
            return b;
        }));
        assertTrue(restrictive(b -> {
            b.tokenBudget = 1000L;
            return b;
        }));
        assertTrue(restrictive(b -> {
            b.minAssurance = 3;
            b.reviewers = 2;
            return b;
        }));
        assertTrue(restrictive(b -> {
            b.purposeRequired = true;
            return b;
        }));
        assertTrue(
                restrictive(b -> {
                    b.rescreenDays = 30;
                    return b;
                }),
                "re-screening where there was none");
        assertTrue(restrictive(b -> {
            b.endpoints = List.of("/v1/chat/completions");
            return b;
        }));
        assertTrue(restrictive(b -> {
            b.maxGrantDays = 30;
            b.keyDefaultDays = 7;
            b.keyMaxDays = 7;
            return b;
        }));
        TierRecord autoGranting =
                new TierRecord(1, 1, 1, 0, false, null, 60, 100000, 20000, null, 4096, ALL, 365, 90, 365, true, null);
        TierRecord notAuto =
                new TierRecord(1, 2, 1, 0, false, null, 60, 100000, 20000, null, 4096, ALL, 365, 90, 365, false, null);
        assertTrue(TierChange.restrictive(autoGranting, notAuto), "auto-grant turned off");
        assertFalse(TierChange.restrictive(notAuto, autoGranting), "auto-grant turned on");
    }

    @Test
    void everyLooseningWaitsForASecondAdmin() {
        assertFalse(
                restrictive(b -> {
                    b.rpm = 31;
                    return b;
                }),
                "a higher limit");
        assertFalse(restrictive(b -> {
            b.outputTpm = 20000;
            return b;
        }));
        assertFalse(restrictive(b -> {
            b.maxTokens = 8192;
            return b;
        }));
        assertFalse(
                restrictive(b -> {
                    b.tokenBudget = null;
                    return b;
                }),
                "no budget");
        assertFalse(restrictive(b -> {
            b.tokenBudget = 6_000_000L;
            return b;
        }));
        assertFalse(restrictive(b -> {
            b.minAssurance = 1;
            return b;
        }));
        assertFalse(restrictive(b -> {
            b.reviewers = 0;
            return b;
        }));
        assertFalse(restrictive(b -> {
            b.autoGrant = true;
            return b;
        }));
        assertFalse(restrictive(b -> {
            b.maxGrantDays = 365;
            return b;
        }));
        assertFalse(restrictive(b -> {
            b.keyMaxDays = 365;
            return b;
        }));
        assertFalse(
                restrictive(b -> {
                    b.rpm = 10;
                    b.tokenBudget = null;
                    return b;
                }),
                "mixed");
        TierRecord tier3 = new TierRecord(
                3,
                1,
                3,
                2,
                true,
                30,
                10,
                20000,
                5000,
                1_000_000L,
                2048,
                List.of("/v1/chat/completions"),
                90,
                7,
                30,
                false,
                null);
        TierRecord looser =
                new TierRecord(3, 2, 3, 2, false, null, 10, 20000, 5000, 1_000_000L, 2048, ALL, 90, 7, 30, false, null);
        assertFalse(TierChange.restrictive(tier3, looser), "purpose, re-screening and endpoints loosened");
    }

    @Test
    void theLeafIsTheWholeVersion() {
        Map<String, Object> leaf = TierChange.leaf(tier2(), List.of("migration"), null);
        assertEquals(2, leaf.get("tier"));
        assertEquals(1, leaf.get("version"));
        assertEquals(2, leaf.get("minAssurance"));
        assertEquals(1, leaf.get("reviewers"));
        assertEquals(false, leaf.get("purposeRequired"));
        assertFalse(leaf.containsKey("rescreenDays"), "absent: never re-screened");
        assertEquals(
                Map.of("rpm", 30, "inputTpm", 50000, "outputTpm", 10000, "maxTokens", 4096, "tokenBudget", 5_000_000L),
                leaf.get("limits"));
        assertEquals(ALL, leaf.get("endpoints"));
        assertEquals(180, leaf.get("maxGrantDays"));
        assertEquals(30, leaf.get("keyDefaultDays"));
        assertEquals(90, leaf.get("keyMaxDays"));
        assertEquals(false, leaf.get("autoGrant"));
        assertEquals(List.of("migration"), leaf.get("actors"));
        assertFalse(leaf.containsKey("changeId"));
        TierRecord unlimited =
                new TierRecord(1, 3, 1, 0, false, null, 60, 100000, 20000, null, 4096, ALL, 365, 90, 365, true, null);
        assertFalse(
                ((Map<?, ?>) TierChange.leaf(unlimited, List.of("a"), null).get("limits")).containsKey("tokenBudget"));
        assertEquals("tier:2:v1", TierChange.key(2, 1));
    }
}
