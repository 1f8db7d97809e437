package org.vettedaccess.gateway.tripwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.TripwireRule;
import org.vettedaccess.gateway.tripwire.TripwireArithmeticTest.MovableClock;

/**
 * CALLS_FROM_SCOPE on the memory store (the arithmetic the Redis scripts repeat, ADR 0045): calls are counted per
 * model by the scope of the decision ({@code i:<ror>}, {@code c:<cc>}) in the second they started, and the
 * control-failure check counts only calls started after the propagation bound of an engaged switch.
 */
class ScopeCountsTest {

    private static final Instant NOON = Instant.parse("2026-12-01T12:00:00Z");
    private static final UUID GRANT = UUID.randomUUID();

    private static CallFacts call(String model, String ror, String country, long elapsedMillis) {
        return new CallFacts(model, "alice", GRANT, "ok", 1, 1, null, ror, country, elapsedMillis);
    }

    private static TripwireRule rule(int minCalls, List<TripwireRule.EngagedScope> engaged) {
        return new TripwireRule(
                UUID.randomUUID(),
                1,
                "CALLS_FROM_SCOPE",
                "m",
                30,
                0,
                minCalls,
                0,
                0,
                0,
                24,
                "KILL_SWITCH",
                true,
                null,
                null,
                0,
                null,
                "INSTITUTION",
                "052gg0110",
                engaged);
    }

    private static Windows.ScopeSums sums(MemorySignalStore store, long since, Windows.ScopeAsk... asks) {
        return store.scopes("m", 30, since, List.of(asks)).toCompletableFuture().join();
    }

    @Test
    void callsAreCountedByScopeAndModelInTheSecondTheyStarted() {
        MovableClock clock = new MovableClock(NOON);
        MemorySignalStore store = new MemorySignalStore(clock);
        store.record(call("m", "052gg0110", "GB", 0));
        store.record(call("m", "05qwgg493", "GB", 0));
        store.record(call("other", "052gg0110", "GB", 0));
        store.record(call("m", null, null, 0));
        Windows.ScopeAsk institution = new Windows.ScopeAsk("i:052gg0110", 0);
        Windows.ScopeAsk country = new Windows.ScopeAsk("c:GB", 0);
        Windows.ScopeSums now = sums(store, 0, institution, country);
        assertEquals(3, now.calls(), "model m's calls");
        assertArrayEquals(new long[] {1, 2}, now.scoped(), "only model m's calls, by each scope");
        // A call that ends now but started 20 s ago counts in its start second: after the bound of a switch engaged
        // 10 s ago it did not start, so the control-failure check does not see it.
        clock.now = NOON.plusSeconds(40);
        store.record(call("m", "052gg0110", null, 20_000));
        long afterBound = RuleChecks.firstSecondAfterBound(NOON.plusSeconds(30));
        Windows.ScopeSums later = sums(store, 0, institution, new Windows.ScopeAsk("i:052gg0110", afterBound));
        assertArrayEquals(new long[] {1, 0}, later.scoped(), later.calls() + " calls");
        clock.now = NOON.plusSeconds(41);
        store.record(call("m", "052gg0110", null, 0));
        assertArrayEquals(
                new long[] {2, 1},
                sums(store, 0, institution, new Windows.ScopeAsk("i:052gg0110", afterBound))
                        .scoped());
        // The window starts from the rule's last trip at the earliest (the calls', and each scope's own first second).
        long lastTrip = NOON.plusSeconds(41).getEpochSecond();
        Windows.ScopeSums sinceTrip = sums(store, lastTrip, new Windows.ScopeAsk("i:052gg0110", lastTrip));
        assertEquals(1, sinceTrip.calls());
        assertArrayEquals(new long[] {1}, sinceTrip.scoped());
    }

    @Test
    void theRuleTripsOnItsMinCallsFromItsScopeAndTheControlCheckOnAnyCall() {
        TripwireRule rule = rule(2, List.of());
        assertNull(RuleChecks.scopeFigures(rule, 5, 1));
        Map<String, Long> figures = RuleChecks.scopeFigures(rule, 5, 2);
        assertEquals(Map.of("windowSeconds", 30L, "calls", 5L, "callsFromScope", 2L), figures);
        assertNull(RuleChecks.controlFailureFigures(rule, 0));
        assertEquals(
                Map.of("windowSeconds", 30L, "callsInEngagedScope", 1L), RuleChecks.controlFailureFigures(rule, 1));
        // The bound: a switch engaged at 12:00:00.700 takes until 12:00:01.700; the second from 12:00:02 is after it.
        assertEquals(NOON.getEpochSecond() + 2, RuleChecks.firstSecondAfterBound(NOON.plusMillis(700)));
        assertEquals("i:052gg0110", Windows.scopeField("INSTITUTION", "052gg0110"));
        assertEquals("c:DE", Windows.scopeField("COUNTRY", "DE"));
        assertNotNull(rule.engagedScopes(), "never null");
    }
}
