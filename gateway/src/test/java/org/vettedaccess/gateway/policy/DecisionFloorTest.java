package org.vettedaccess.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.ChangePage;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;

/**
 * The consistency token (ADR 0098): the cache sends the newest change it has seen with every decision request, so
 * that after a revocation the refill is answered by a replica that has applied it. The fake access-policy here plays the
 * replica that has not followed yet: it answers ALLOW unless the request's floor reaches the revocation.
 */
class DecisionFloorTest {

    private static final String CHAT = "/v1/chat/completions";
    private static final long SUBSCRIBED_AT = 5;

    /** Replica 2: the revocation (made on replica 1) reaches it only through a caller's floor. */
    private final FakePolicy policy = new FakePolicy(SUBSCRIBED_AT);

    private final UUID grant = UUID.randomUUID();
    private final DecisionRequest request = new DecisionRequest("alice", "m", CHAT, 1, grant);
    private DecisionCache cache;

    @BeforeEach
    void following() {
        cache = new DecisionCache(policy, new SimpleMeterRegistry());
        cache.startFollowing();
        await(cache::feedConnected, "the feed connects");
    }

    @AfterEach
    void stop() {
        cache.stop(null);
    }

    @Test
    void theRefillAfterARevocationIsAskedAtTheRevocationsSequence() {
        assertTrue(cache.decide(request).allowed());
        assertEquals(SUBSCRIBED_AT, policy.floors.get(0), "asked from the feed's position at subscription");
        assertNotNull(cache.cached("alice", "m", CHAT, grant));

        // Revoked through replica 1 at sequence 6; the feed reports it, the cached allow is dropped.
        policy.revokedAt = 6;
        policy.pages.add(
                new ChangePage(List.of(new ChangePage.Change(6, "grant.revoked", grant, "alice", null, null)), 6));
        await(() -> cache.appliedSeq() == 6 && cache.cached("alice", "m", CHAT, grant) == null, "the feed applied");

        // The refill is asked of the replica that has not followed: with the floor it must apply the revocation first.
        Decision refill = cache.decide(request);
        assertEquals(6L, policy.floors.get(policy.floors.size() - 1));
        assertEquals("DENY", refill.decision(), "no stale allow is cached again for a TTL");
        assertEquals(List.of("grant_revoked"), refill.reasons());
    }

    @Test
    void aRefreshAfterAPermissiveChangeCarriesTheFloor() {
        cache.decide(request);
        cache.applyPage(
                new ChangePage(List.of(new ChangePage.Change(9, "catalog.loosened", null, null, "model:m", null)), 9));
        assertEquals(9, cache.appliedSeq());
        assertNotNull(cache.cached("alice", "m", CHAT, grant), "served stale while it refreshes");
        await(() -> policy.floors.size() == 2, "the refresh was asked");
        assertEquals(9L, policy.floors.get(1));
    }

    @Test
    void theFloorNeverGoesBack() {
        cache.applyPage(
                new ChangePage(List.of(new ChangePage.Change(12, "grant.revoked", grant, "bob", null, null)), 12));
        cache.applyPage(new ChangePage(List.of(), 7));
        assertEquals(12, cache.appliedSeq());
        cache.decide(new DecisionRequest("carol", "m", CHAT, 1, null));
        assertEquals(12L, policy.floors.get(policy.floors.size() - 1));
    }

    @Test
    void evenAnUncachedAskWhileTheFeedIsDownCarriesTheFloor() {
        cache.stop(null);
        DecisionCache unfollowed = new DecisionCache(policy, new SimpleMeterRegistry());
        unfollowed.apply(new ChangePage.Change(3, "grant.revoked", grant, "alice", null, null));
        assertNull(unfollowed.cached("alice", "m", CHAT, grant));
        unfollowed.decide(request);
        assertEquals(3L, policy.floors.get(policy.floors.size() - 1));
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within 5 s");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
