package org.vettedaccess.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.vettedaccess.contracts.policy.ChangePage;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;

/**
 * access-policy as the cache sees it: allows everything for a minute, a quiet change feed, and (for the refill
 * tests) answers only once the test opens the gate, which is open unless a test closes it.
 */
final class FakePolicy implements PolicyDecisions {
    final AtomicLong asked = new AtomicLong();
    volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public Decision decide(DecisionRequest request) {
        asked.incrementAndGet();
        try {
            assertTrue(gate.await(10, TimeUnit.SECONDS), "gate never opened");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
        return new ChangePage(List.of(), after == null ? 1 : after);
    }
}
