package org.vettedaccess.gateway.tripwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.TripwireRule;

/** The windows, the median and each rule kind, on the memory store (the arithmetic the Redis scripts repeat). */
class TripwireArithmeticTest {

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static final Instant NOON = Instant.parse("2026-12-01T12:00:00Z");
    private static final UUID GRANT = UUID.randomUUID();

    private static CallFacts call(String status, boolean refusal, boolean filter, long tokens) {
        AnswerSignals signals = new AnswerSignals();
        if (refusal) {
            signals.scan("{\"choices\":[{\"delta\":{\"refusal\":\"I'm sorry\"}}]}");
        }
        if (filter) {
            signals.scan("{\"choices\":[{\"finish_reason\":\"content_filter\"}]}");
        }
        return new CallFacts("m", "alice", GRANT, status, tokens / 2, tokens - tokens / 2, signals);
    }

    private static TripwireRule rate(String kind, int window, int threshold, int minCalls) {
        return rule(UUID.randomUUID(), kind, window, threshold, minCalls, 0, 0, 0, 24, "KILL_SWITCH");
    }

    private static TripwireRule subject(double multiple, long floor) {
        return rule(UUID.randomUUID(), "SUBJECT_TOKENS_PER_HOUR", 0, 0, 0, multiple, floor, 0, 24, "SUSPEND_GRANT");
    }

    /** A rule of a kind that names no scope, active, version 1, on model m. */
    private static TripwireRule rule(
            UUID id,
            String kind,
            int window,
            int threshold,
            int minCalls,
            double multiple,
            long floor,
            int fromHour,
            int toHour,
            String action) {
        return new TripwireRule(
                id, 1, kind, "m", window, threshold, minCalls, multiple, floor, fromHour, toHour, action, true, null,
                null, 0, null, null, null, List.of());
    }

    private static Windows.Sums sums(MemorySignalStore store, int window, long since, int from, int to) {
        return store.window("m", window, since, from, to).toCompletableFuture().join();
    }

    @Test
    void aWindowCountsItsLastSecondsOnlyAndNothingBeforeTheLastTrip() {
        MovableClock clock = new MovableClock(NOON);
        MemorySignalStore store = new MemorySignalStore(clock);
        store.record(call("ok", false, false, 10));
        clock.now = NOON.plusSeconds(5);
        store.record(call("ok", true, false, 10));
        store.record(call("ok", false, true, 10));
        clock.now = NOON.plusSeconds(10);
        store.record(call("upstream_503", false, false, 0));
        store.record(call("upstream_timeout", false, false, 0));

        Windows.Sums all = sums(store, 11, 0, 0, 24);
        assertEquals(5, all.calls());
        assertEquals(1, all.refusals());
        assertEquals(1, all.contentFilters());
        assertEquals(1, all.errors());
        assertEquals(1, all.timeouts());
        // A 10 s window ending at +10 s starts at +1 s: the first call has left it.
        assertEquals(4, sums(store, 10, 0, 0, 24).calls());
        // Counting only from +6 s (the second after a trip at +5 s): the refusal and the filter are behind it.
        Windows.Sums afterTrip = sums(store, 60, NOON.getEpochSecond() + 6, 0, 24);
        assertEquals(2, afterTrip.calls());
        assertEquals(0, afterTrip.refusals() + afterTrip.contentFilters());
        assertEquals(NOON.getEpochSecond() + 1, Windows.firstSecond(NOON.getEpochSecond() + 10, 10, 0));
        assertEquals(
                NOON.getEpochSecond() + 6,
                Windows.firstSecond(NOON.getEpochSecond() + 10, 10, NOON.getEpochSecond() + 6));
    }

    @Test
    void offHoursCountOnlyTheCallsMadeOutsideTheAllowedHours() {
        MovableClock clock = new MovableClock(Instant.parse("2026-12-01T19:59:58Z"));
        MemorySignalStore store = new MemorySignalStore(clock);
        store.record(call("ok", false, false, 1));
        clock.now = Instant.parse("2026-12-01T20:00:01Z");
        store.record(call("ok", false, false, 1));
        store.record(call("ok", false, false, 1));
        Windows.Sums sums = sums(store, 30, 0, 8, 20);
        assertEquals(3, sums.calls());
        assertEquals(2, sums.outsideHours(), "19:59:58 is allowed, 20:00:01 is not");
        assertTrue(Windows.outsideHours(Instant.parse("2026-12-01T07:59:59Z").getEpochSecond(), 8, 20));
        assertFalse(Windows.outsideHours(Instant.parse("2026-12-01T08:00:00Z").getEpochSecond(), 8, 20));
        assertFalse(Windows.outsideHours(Instant.parse("2026-12-01T23:59:59Z").getEpochSecond(), 0, 24));

        TripwireRule rule = rate("OFF_HOURS", 30, 0, 2);
        rule = rule(rule.id(), "OFF_HOURS", 30, 0, 2, 0, 0, 8, 20, "KILL_SWITCH");
        Map<String, Long> figures = RuleChecks.modelFigures(rule, sums);
        assertNotNull(figures);
        assertEquals(2L, figures.get("callsOutsideHours"));
        TripwireRule stricter = rule(rule.id(), "OFF_HOURS", 30, 0, 3, 0, 0, 8, 20, "KILL_SWITCH");
        assertNull(RuleChecks.modelFigures(stricter, sums));
    }

    @Test
    void theRefusalRateTripsAtItsThresholdAndNotBelowItsMinimumOfCalls() {
        TripwireRule rule = rate("REFUSAL_RATE", 30, 50, 10);
        long now = NOON.getEpochSecond();
        // 5 of 10: exactly the threshold trips (at least 50 %).
        Map<String, Long> figures = RuleChecks.modelFigures(rule, new Windows.Sums(now, 10, 3, 2, 0, 0, 0));
        assertEquals(Map.of("windowSeconds", 30L, "calls", 10L, "refusals", 3L, "contentFilters", 2L), figures);
        assertNull(RuleChecks.modelFigures(rule, new Windows.Sums(now, 10, 4, 0, 0, 0, 0)), "40 % is below");
        assertNull(RuleChecks.modelFigures(rule, new Windows.Sums(now, 9, 9, 0, 0, 0, 0)), "9 calls are too few");
        // Errors do not count as refusals.
        assertNull(RuleChecks.modelFigures(rule, new Windows.Sums(now, 10, 0, 0, 10, 0, 0)));
    }

    @Test
    void theErrorRateCountsErrorsAndTimeouts() {
        TripwireRule rule = rate("ERROR_RATE", 60, 20, 5);
        long now = NOON.getEpochSecond();
        Map<String, Long> figures = RuleChecks.modelFigures(rule, new Windows.Sums(now, 10, 5, 0, 1, 1, 0));
        assertEquals(Map.of("windowSeconds", 60L, "calls", 10L, "errors", 1L, "timeouts", 1L), figures);
        assertNull(RuleChecks.modelFigures(rule, new Windows.Sums(now, 10, 5, 5, 1, 0, 0)), "10 % is below 20 %");
        assertEquals("errors", new CallFacts("m", "s", GRANT, "upstream_503", 0, 0, null).outcome());
        assertEquals("timeouts", new CallFacts("m", "s", GRANT, "upstream_idle_timeout", 0, 0, null).outcome());
        assertNull(new CallFacts("m", "s", GRANT, "client_cancelled", 0, 0, null).outcome());
    }

    @Test
    void theMedianIsOfTheActiveHoursOfTheSevenDaysBeforeThisHour() {
        long hour = Windows.hourOf(NOON.getEpochSecond());
        Map<Long, Long> hours = Map.of(
                hour,
                99_999L, // this hour: not history
                hour - 1,
                100L,
                hour - 2,
                300L,
                hour - 3,
                0L, // not active
                hour - 168,
                200L,
                hour - 169,
                1_000_000L); // older than 7 days
        assertArrayEquals(new long[] {100, 200, 300}, Windows.history(hours, hour));
        assertEquals(200, Windows.median(new long[] {100, 200, 300}));
        assertEquals(150, Windows.median(new long[] {100, 200}));
        assertEquals(0, Windows.median(new long[] {}));
    }

    @Test
    void aSubjectTripsAboveTheMultipleOfTheirOwnMedianOrOfTheFloor() {
        MovableClock clock = new MovableClock(NOON.minusSeconds(3 * 3600));
        MemorySignalStore store = new MemorySignalStore(clock);
        // History through the same counters: 1,000 tokens in each of three earlier hours.
        for (int h = 3; h >= 1; h--) {
            clock.now = NOON.minusSeconds(h * 3600L);
            store.record(call("ok", false, false, 1_000));
        }
        clock.now = NOON;
        long thisHour = store.record(call("ok", false, false, 2_500))
                .toCompletableFuture()
                .join()[1];
        assertEquals(2_500, thisHour);
        long[] history = Windows.history(
                store.hours("m", "alice").toCompletableFuture().join(), Windows.hourOf(NOON.getEpochSecond()));
        assertArrayEquals(new long[] {1_000, 1_000, 1_000}, history);

        TripwireRule rule = subject(3.0, 100);
        assertTrue(RuleChecks.overFloor(rule, thisHour));
        assertNull(RuleChecks.subjectFigures(rule, thisHour, history), "2,500 is within 3 x the median of 1,000");
        long more = store.record(call("ok", false, false, 600))
                .toCompletableFuture()
                .join()[1];
        assertEquals(
                Map.of(
                        "tokensThisHour", 3_100L,
                        "medianTokensPerHour", 1_000L,
                        "historyHours", 3L,
                        "baselineTokensPerHour", 1_000L),
                RuleChecks.subjectFigures(rule, more, history));
        // No history: the floor is the baseline.
        TripwireRule floored = subject(3.0, 2_000);
        assertFalse(RuleChecks.overFloor(floored, 3_100));
        assertNull(RuleChecks.subjectFigures(floored, 3_100, new long[0]));
        assertEquals(
                2_000L, RuleChecks.subjectFigures(floored, 6_001, new long[0]).get("baselineTokensPerHour"));
    }

    @Test
    void refusalsAndFiltersAreSeenInChunksAndWholeAnswersButNotInNulls() {
        AnswerSignals nulls = new AnswerSignals();
        nulls.scan("{\"choices\":[{\"delta\":{\"content\":\"hi\",\"refusal\":null},\"finish_reason\":null}]}");
        nulls.scan("{\"choices\":[{\"finish_reason\":\"stop\"}],\"note\":\"content_filter\"}");
        assertFalse(nulls.refusal());
        assertFalse(nulls.contentFilter());
        AnswerSignals whole = new AnswerSignals();
        whole.scan("{\"choices\":[{\"message\":{\"content\":null, \"refusal\" : \"No.\"},"
                + "\"finish_reason\": \"content_filter\"}]}");
        assertTrue(whole.refusal());
        assertTrue(whole.contentFilter());
        assertEquals("refusals", new CallFacts("m", "s", GRANT, "ok", 0, 0, whole).outcome());
    }
}
