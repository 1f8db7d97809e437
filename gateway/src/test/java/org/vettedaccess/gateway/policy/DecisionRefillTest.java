package org.vettedaccess.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.ChangePage;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;

/** Refills after changes: one request per key in flight, stale served only after a change that widens access. */
class DecisionRefillTest {

    private static final String CHAT = "/v1/chat/completions";

    private final FakePolicy policy = new FakePolicy();
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private final UUID grant = UUID.randomUUID();
    private final DecisionRequest request = new DecisionRequest("alice", "m", CHAT, 1, grant);
    private DecisionCache cache;

    @BeforeEach
    void following() throws InterruptedException {
        cache = new DecisionCache(policy, new SimpleMeterRegistry());
        cache.startFollowing();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!cache.feedConnected() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(cache.feedConnected());
    }

    @AfterEach
    void stop() {
        policy.gate = new CountDownLatch(0);
        callers.shutdownNow();
        cache.stop(null);
    }

    @Test
    void concurrentMissesOfOneKeyAskAccessPolicyOnce() throws Exception {
        policy.gate = new CountDownLatch(1);
        List<Future<Decision>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(callers.submit(() -> cache.decide(request)));
        }
        // Let every caller reach the cache before the one request in flight answers.
        Thread.sleep(200);
        policy.gate.countDown();
        UUID first = null;
        for (Future<Decision> call : calls) {
            Decision decision = call.get(10, TimeUnit.SECONDS);
            first = first == null ? decision.decisionId() : first;
            assertEquals(first, decision.decisionId(), "every caller got the one answer");
        }
        assertEquals(1, policy.asked.get(), "one request to access-policy for 64 concurrent misses");
    }

    @Test
    void aPermissiveChangeServesTheStaleDecisionWhileOneRefreshRuns() throws Exception {
        Decision before = cache.decide(request);
        policy.gate = new CountDownLatch(1);
        cache.apply(new ChangePage.Change(7, "catalog.loosened", null, null, "model:m", null));
        List<Future<Decision>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(callers.submit(() -> cache.cached("alice", "m", CHAT, grant)));
        }
        for (Future<Decision> call : calls) {
            Decision served = call.get(10, TimeUnit.SECONDS);
            assertNotNull(served, "a stale decision is served while it refreshes");
            assertEquals(before.decisionId(), served.decisionId());
        }
        assertEquals(2, policy.asked.get(), "the first ask and one refresh, however many callers");
        policy.gate.countDown();
        long deadline = System.nanoTime() + 5_000_000_000L;
        Decision after = cache.cached("alice", "m", CHAT, grant);
        // Asked in a tight loop while the refresh lands: none of these starts another.
        while (after.decisionId().equals(before.decisionId()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            after = cache.cached("alice", "m", CHAT, grant);
        }
        assertNotEquals(before.decisionId(), after.decisionId(), "the refreshed decision replaced the stale one");
        assertEquals(2, policy.asked.get(), "a fresh decision is not refreshed again");
    }

    @Test
    void aRestrictiveChangeNeverServesTheStaleDecision() throws Exception {
        for (String kind : List.of("killswitch.engaged", "grant.suspended", "grant.revoked", "grant.expired")) {
            policy.gate = new CountDownLatch(0);
            cache.decide(request);
            assertNotNull(cache.cached("alice", "m", CHAT, grant));
            policy.gate = new CountDownLatch(1);
            String subject = kind.startsWith("grant.") ? "alice" : null;
            cache.apply(new ChangePage.Change(8, kind, grant, subject, null, null));
            assertNull(cache.cached("alice", "m", CHAT, grant), kind + " must stop the cached allow");
            // A caller that goes on to ask waits for the new answer, never the old one.
            Future<Decision> asking = callers.submit(() -> cache.decide(request));
            Thread.sleep(50);
            assertNull(cache.cached("alice", "m", CHAT, grant), kind + ": nothing served while it is asked");
            policy.gate.countDown();
            asking.get(10, TimeUnit.SECONDS);
        }
        // A KYC suspension and a narrowing catalog or tier change are restrictive too, as is any unknown kind.
        for (String kind : List.of("subject.suspended", "catalog.changed", "tier.changed", "something.new")) {
            assertTrue(new ChangePage.Change(9, kind, null, null, null, null).restrictive(), kind);
        }
    }

    @Test
    void aDecisionAskedAcrossARestrictiveChangeIsNotCached() throws Exception {
        policy.gate = new CountDownLatch(1);
        Future<Decision> asking = callers.submit(() -> cache.decide(request));
        Thread.sleep(100);
        cache.apply(new ChangePage.Change(10, "killswitch.engaged", null, null, "models:m", null));
        policy.gate.countDown();
        asking.get(10, TimeUnit.SECONDS);
        assertNull(cache.cached("alice", "m", CHAT, grant), "the answer may predate the kill switch");
    }
}
