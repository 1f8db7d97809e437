package org.vettedaccess.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.vettedaccess.contracts.policy.ChangePage;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;

/**
 * access-policy as the cache sees it: allows everything for a minute, a quiet change feed, and (for the refill
 * tests) answers only once the test opens the gate, which is open unless a test closes it.
 *
 * <p>It records the floor ({@code afterSeq}) of every decision request, serves the change pages a test queues, and
 * can play a replica that has not followed a revocation yet: it denies only a request whose floor reaches
 * {@link #revokedAt} (ADR 0098).
 */
final class FakePolicy implements PolicyDecisions {
    final AtomicLong asked = new AtomicLong();
    // Not copy-on-write: DecisionCacheTest's flood asks 300,000 times, and copying the list at each ask took the test
    // past its decisions' 60 s TTL.
    final List<Long> floors = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentLinkedQueue<ChangePage> pages = new ConcurrentLinkedQueue<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile long revokedAt = Long.MAX_VALUE;
    private final long subscribedAt;

    FakePolicy() {
        this(1);
    }

    /** @param subscribedAt the feed's position a new subscriber is given */
    FakePolicy(long subscribedAt) {
        this.subscribedAt = subscribedAt;
    }

    @Override
    public Decision decide(DecisionRequest request) {
        asked.incrementAndGet();
        floors.add(request.afterSeq());
        try {
            assertTrue(gate.await(10, TimeUnit.SECONDS), "gate never opened");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (request.afterSeq() != null && request.afterSeq() >= revokedAt) {
            return Decision.deny("grant_revoked", 60_000);
        }
        return new Decision(
                "ALLOW",
                List.of(),
                UUID.randomUUID(),
                request.grantId(),
                1L,
                1,
                new Decision.Limits(60, 1000, 1000, null, 100),
                "sim",
                "v1",
                null,
                60_000,
                false);
    }

    @Override
    public ChangePage changes(Long after, long waitMs) {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        ChangePage page = after == null ? null : pages.poll();
        return page != null ? page : new ChangePage(List.of(), after == null ? subscribedAt : after);
    }
}
