package org.vettedaccess.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The quota arithmetic, attacked the way the n × max_tokens bypass did: a call may reserve no more than a bucket
 * holds, may get back no more than it reserved, and over any sequence of calls the tokens used stay within the
 * capacity plus what the bucket refilled meanwhile.
 */
class QuotaArithmeticTest {

    private static final Buckets CAPS = new Buckets(60, 100_000, 20_000);

    private static QuotaStore.Answer reserve(QuotaStore store, long output) {
        return store.reserve("g", CAPS, new Buckets(1, 10, output))
                .toCompletableFuture()
                .join();
    }

    @Test
    void aCallLargerThanTheBucketIsRefusedNotClippedToIt() {
        AtomicLong now = new AtomicLong(1_000_000);
        MemoryQuotaStore store = new MemoryQuotaStore(now::get);
        // The bypass: n = 8, max_tokens = 4096 reserved 32,768 against a 20,000 cap, took 20,000 and was refunded
        // as if it had taken 32,768.
        QuotaStore.Answer refused = reserve(store, 8 * 4096);
        assertFalse(refused.admitted());
        assertEquals(2, refused.dimension());
        assertEquals(QuotaStore.Answer.NEVER, refused.retryAfterMillis());
        assertEquals(20_000, refused.remaining().outputTokens(), "nothing was taken");
        assertEquals(2, new Reservation(CAPS, new Buckets(1, 10, 8 * 4096)).tooLarge());
        assertEquals(-1, new Reservation(CAPS, new Buckets(1, 10, 20_000)).tooLarge());
        assertTrue(reserve(store, 20_000).admitted(), "a call of exactly the capacity fits a full bucket");
    }

    @Test
    void refundsAreWhatWasReservedLessWhatWasUsedAndAnOverrunIsCharged() {
        Reservation reservation = new Reservation(CAPS, new Buckets(1, 50, 4_000));
        assertEquals(new Buckets(0, 20, 3_000), reservation.refunds(30, 1_000));
        assertEquals(new Buckets(0, 50, 4_000), reservation.refunds(-5, -99), "never more than reserved");
        assertEquals(new Buckets(0, -10, -6_000), reservation.refunds(60, 10_000), "the excess is charged");
        assertThrows(IllegalArgumentException.class, () -> new Reservation(CAPS, new Buckets(1, 0, -1)));
    }

    @Test
    void anOverrunLeavesTheBucketInDebtUntilItHasRefilled() {
        AtomicLong now = new AtomicLong(1_000_000);
        MemoryQuotaStore store = new MemoryQuotaStore(now::get);
        Reservation reservation = new Reservation(CAPS, new Buckets(1, 10, 1_000));
        assertTrue(reserve(store, 1_000).admitted());
        // The upstream ignored the cap and generated 30,000.
        store.settle("g", CAPS, reservation.refunds(10, 30_000));
        QuotaStore.Answer refused = reserve(store, 1);
        assertFalse(refused.admitted());
        assertEquals(0, refused.remaining().outputTokens());
        // 20,000 a minute refills the 10,000 of debt and one more token in just over 30 s.
        assertTrue(refused.retryAfterMillis() > 30_000 && refused.retryAfterMillis() < 30_100, refused.toString());
        now.addAndGet(refused.retryAfterMillis());
        assertTrue(reserve(store, 1).admitted());
    }

    /** One step of a client's script: reserve {@code amount} output tokens, or settle the oldest open call. */
    private record Step(boolean reserve, long amount, int usedPercent, long advanceMillis) {}

    @Test
    void overAnySequenceOfCallsTheOutputUsedStaysWithinCapacityPlusRefill() {
        qt().withExamples(300)
                .forAll(
                        longs().between(1, 50_000),
                        lists().of(integers().between(0, Integer.MAX_VALUE).map(QuotaArithmeticTest::step))
                                .ofSizeBetween(1, 200))
                .checkAssert((capacity, steps) -> {
                    Buckets caps = new Buckets(1_000_000, 1_000_000, capacity);
                    AtomicLong now = new AtomicLong(5_000_000);
                    long start = now.get();
                    MemoryQuotaStore store = new MemoryQuotaStore(now::get);
                    Deque<Reservation> open = new ArrayDeque<>();
                    Deque<Integer> usage = new ArrayDeque<>();
                    long used = 0;
                    for (Step step : steps) {
                        now.addAndGet(step.advanceMillis());
                        if (step.reserve()) {
                            long amount = step.amount() % (2 * capacity) + 1;
                            Reservation reservation = new Reservation(caps, new Buckets(1, 1, amount));
                            QuotaStore.Answer admission = store.reserve("g", caps, reservation.amounts())
                                    .toCompletableFuture()
                                    .join();
                            if (amount > capacity) {
                                assertFalse(admission.admitted(), "larger than the bucket: " + amount);
                            }
                            if (admission.admitted()) {
                                open.add(reservation);
                                usage.add(step.usedPercent());
                            }
                        } else if (!open.isEmpty()) {
                            Reservation reservation = open.poll();
                            // The upstream generates at most the cap it was sent: up to all of the reservation.
                            long output = reservation.amounts().outputTokens() * usage.poll() / 100;
                            used += output;
                            store.settle("g", caps, reservation.refunds(1, output))
                                    .toCompletableFuture()
                                    .join();
                        }
                    }
                    // Calls still open use all they reserved.
                    for (Reservation reservation : open) {
                        used += reservation.amounts().outputTokens();
                    }
                    double refilled = (now.get() - start) * (double) capacity / 60_000;
                    assertTrue(
                            used <= capacity + Math.ceil(refilled),
                            "used " + used + " of " + capacity + " + " + refilled + " refilled");
                });
    }

    private static Step step(int seed) {
        return new Step(seed % 3 != 0, seed / 3 % 100_000, seed / 7 % 101, seed % 5 == 0 ? seed / 11 % 5_000 : 0);
    }

    @Test
    void storesOfTwoGrantsDoNotShare() {
        MemoryQuotaStore store = new MemoryQuotaStore(() -> 0);
        Buckets amounts = new Buckets(1, 1, 20_000);
        assertTrue(
                store.reserve("a", CAPS, amounts).toCompletableFuture().join().admitted());
        assertTrue(
                store.reserve("b", CAPS, amounts).toCompletableFuture().join().admitted());
        assertFalse(
                store.reserve("a", CAPS, amounts).toCompletableFuture().join().admitted());
    }
}
