package org.vettedaccess.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.ChangePage;
import org.vettedaccess.contracts.policy.DecisionRequest;

/** The decision cache under a flood and under changes: bounded, keeps what is used, drops only what changed. */
class DecisionCacheTest {

    private final FakePolicy policy = new FakePolicy();
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
        cache.stop(null);
    }

    @Test
    void aFloodOfOneOffEntriesLeavesTheDecisionsInUseCached() {
        UUID grant = UUID.randomUUID();
        cache.decide(new DecisionRequest("valid", "m", "/v1/chat/completions", 1, grant));
        // Three times the bound of one-off entries, the valid caller calling now and then. The old map was cleared
        // whole at its bound, valid entries with it.
        for (int i = 0; i < 300_000; i++) {
            cache.decide(new DecisionRequest("random-" + i, "m", "/v1/chat/completions", 1, UUID.randomUUID()));
            if (i % 100 == 0) {
                assertNotNull(cache.cached("valid", "m", "/v1/chat/completions", grant), "evicted at " + i);
            }
        }
        assertNotNull(cache.cached("valid", "m", "/v1/chat/completions", grant));
    }

    @Test
    void aChangeForOneSubjectDropsOnlyThatSubjectsDecisions() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        cache.decide(new DecisionRequest("alice", "m1", "/v1/chat/completions", 1, a));
        cache.decide(new DecisionRequest("alice", "m2", "/v1/completions", 1, a));
        cache.decide(new DecisionRequest("bob", "m1", "/v1/chat/completions", 1, b));
        cache.apply(new ChangePage.Change(7, "grant.revoked", null, "alice", null, null));
        assertNull(cache.cached("alice", "m1", "/v1/chat/completions", a));
        assertNull(cache.cached("alice", "m2", "/v1/completions", a));
        assertNotNull(cache.cached("bob", "m1", "/v1/chat/completions", b));
        // Asked again after the change, then dropped again by the next change: the index follows the cache.
        cache.decide(new DecisionRequest("alice", "m1", "/v1/chat/completions", 1, a));
        assertNotNull(cache.cached("alice", "m1", "/v1/chat/completions", a));
        cache.apply(new ChangePage.Change(8, "grant.suspended", null, "alice", null, null));
        assertNull(cache.cached("alice", "m1", "/v1/chat/completions", a));
        // A change naming nobody (a kill switch, a tier) drops everything.
        cache.apply(new ChangePage.Change(9, "killswitch.engaged", null, null, null, null));
        assertNull(cache.cached("bob", "m1", "/v1/chat/completions", b));
        long before = policy.asked.get();
        cache.decide(new DecisionRequest("bob", "m1", "/v1/chat/completions", 1, b));
        assertEquals(before + 1, policy.asked.get(), "asked access-policy again");
    }
}
