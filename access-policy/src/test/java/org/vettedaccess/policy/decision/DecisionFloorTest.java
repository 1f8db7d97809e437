package org.vettedaccess.policy.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;
import org.vettedaccess.policy.catalog.ModelRepository;
import org.vettedaccess.policy.change.ChangeRepository;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.policy.killswitch.KillSwitchRepository;
import org.vettedaccess.policy.tier.TierRepository;

/**
 * The consistency token (ADR 0098): a replica that has not yet followed another replica's restrictive change, asked
 * with the {@code afterSeq} the caller has seen, catches up before deciding, so it answers DENY, never the stale ALLOW
 * it holds in memory; it never waits for a sequence nobody wrote, and if it cannot catch up in time it denies.
 */
class DecisionFloorTest {

    private static final String CHAT = "/v1/chat/completions";

    private final PolicyDb db = new PolicyDb();

    /** One access-policy replica on the shared database; its follower runs only when a test says so. */
    private final class Replica {
        final ChangeRepository changes = mock(ChangeRepository.class);
        final SubjectRows subjects = new SubjectRows(db::rowsOf, 1000);
        final PolicyConfig config = mock(PolicyConfig.class);
        final PolicySnapshot snapshot;
        final DecisionService decisions;

        Replica() {
            when(changes.latest()).thenAnswer(call -> db.latest());
            when(changes.after(anyLong(), anyInt())).thenAnswer(call -> db.after(call.getArgument(0)));
            ModelRepository models = mock(ModelRepository.class);
            when(models.listAll()).thenAnswer(call -> List.of(db.model));
            TierRepository tiers = mock(TierRepository.class);
            when(tiers.current()).thenAnswer(call -> List.of(db.tier));
            KillSwitchRepository switches = mock(KillSwitchRepository.class);
            when(switches.engaged()).thenAnswer(call -> List.copyOf(db.engaged));
            when(config.decisionTtl()).thenReturn(Duration.ofSeconds(5));
            when(config.catchUpWait()).thenReturn(Duration.ofMillis(300));
            when(config.maxLag()).thenReturn(Duration.ofHours(1));
            snapshot = new PolicySnapshot(models, tiers, switches, changes, config, subjects) {
                @Override
                <T> T read(java.util.concurrent.Callable<T> work) {
                    try {
                        return work.call();
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            decisions = new DecisionService(
                    snapshot, subjects, config, Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC));
            snapshot.followOtherReplicas();
        }

        /** As DecisionResource does: from memory on the event loop if it can, else the blocking path. */
        String decide(String subject, Long afterSeq) {
            DecisionRequest request = new DecisionRequest(subject, PolicyDb.MODEL, CHAT, 16, null, afterSeq);
            Decision decision = decisions.fromMemory(request);
            return reason(decision == null ? decisions.decide(request) : decision);
        }

        /** The event-loop path alone: null when it declines. */
        String fromMemory(String subject, Long afterSeq) {
            Decision decision =
                    decisions.fromMemory(new DecisionRequest(subject, PolicyDb.MODEL, CHAT, 16, null, afterSeq));
            return decision == null ? null : reason(decision);
        }

        private static String reason(Decision decision) {
            return decision.allowed() ? "ALLOW" : decision.reasons().get(0);
        }
    }

    @Test
    void aRevocationMadeElsewhereIsAppliedBeforeDecidingWhenTheCallerHasSeenIt() {
        UUID grant = db.grant("alice");
        Replica replica2 = new Replica();
        assertEquals("ALLOW", replica2.decide("alice", db.latest()));

        // Replica 1 revokes; replica 2's follower has not run since.
        db.revoke(grant);
        long seen = db.latest();
        assertEquals(
                "ALLOW",
                replica2.decide("alice", null),
                "without a floor replica 2 answers from memory until it follows (the window the token closes)");
        assertEquals("grant_revoked", replica2.decide("alice", seen));
        assertEquals(seen, replica2.snapshot.followed());
        assertEquals("grant_revoked", replica2.decide("alice", null), "and it stays caught up");
    }

    @Test
    void aKillSwitchEngagedElsewhereIsAppliedBeforeDecidingWhenTheCallerHasSeenIt() {
        db.grant("bob");
        Replica replica2 = new Replica();
        assertEquals("ALLOW", replica2.decide("bob", db.latest()));

        db.engage(PolicyDb.MODEL);
        assertEquals("ALLOW", replica2.decide("bob", null), "the state in memory predates the switch");
        assertEquals("kill_switch_engaged", replica2.decide("bob", db.latest()));
    }

    @Test
    void theFollowerAppliesOtherReplicasChangesWithoutAFloor() {
        UUID grant = db.grant("gina");
        db.grant("hank");
        Replica replica2 = new Replica();
        assertEquals("ALLOW", replica2.decide("gina", null));
        assertEquals("ALLOW", replica2.decide("hank", null));
        db.revoke(grant);
        db.suspendKyc("hank");
        replica2.snapshot.followOtherReplicas();
        assertEquals("grant_revoked", replica2.decide("gina", null));
        assertEquals("kyc_not_current", replica2.decide("hank", null));
    }

    @Test
    void aKycSuspensionElsewhereIsAppliedBeforeDecidingWhenTheCallerHasSeenIt() {
        db.grant("ivy");
        Replica replica2 = new Replica();
        assertEquals("ALLOW", replica2.decide("ivy", db.latest()));
        db.suspendKyc("ivy");
        assertEquals("kyc_not_current", replica2.decide("ivy", db.latest()));
    }

    @Test
    void aCaughtUpReplicaDecidesFromMemory() {
        db.grant("jan");
        Replica replica2 = new Replica();
        long seen = db.latest();
        for (int i = 0; i < 10; i++) {
            assertEquals("ALLOW", replica2.decide("jan", seen));
        }
        assertEquals(1, db.reads.get(), "one read of the subject's rows for ten decisions");
    }

    @Test
    void aReplicaWhoseFollowerHasNotReadTheFeedForTooLongReadsItBeforeDeciding() throws Exception {
        UUID grant = db.grant("kim");
        Replica replica2 = new Replica();
        assertEquals("ALLOW", replica2.decide("kim", null));
        db.revoke(grant);
        when(replica2.config.maxLag()).thenReturn(Duration.ofMillis(50));
        Thread.sleep(100);
        assertEquals("grant_revoked", replica2.decide("kim", null), "no floor, but memory older than policy.max-lag");
        when(replica2.changes.after(anyLong(), anyInt())).thenThrow(new IllegalStateException("database down"));
        Thread.sleep(100);
        assertEquals("internal_error", replica2.decide("kim", null), "and a deny when the feed cannot be read");
    }

    @Test
    void aFloorBeyondTheNewestChangeIsNotWaitedFor() {
        db.grant("carol");
        Replica replica2 = new Replica();
        long start = System.nanoTime();
        assertEquals("ALLOW", replica2.decide("carol", db.latest() + 1_000));
        assertTrue(System.nanoTime() - start < 250_000_000L, "answered at once, from the newest change that exists");
        assertEquals(db.latest(), replica2.snapshot.followed());
    }

    @Test
    void aReplicaThatCannotReadTheFeedDeniesRatherThanAnswerFromMemory() {
        db.grant("dave");
        Replica replica2 = new Replica();
        assertEquals("ALLOW", replica2.decide("dave", db.latest()));
        db.grant("someone-else");
        when(replica2.changes.after(anyLong(), anyInt())).thenThrow(new IllegalStateException("database down"));
        Decision decision =
                replica2.decisions.decide(new DecisionRequest("dave", PolicyDb.MODEL, CHAT, 16, null, db.latest()));
        assertEquals("DENY", decision.decision());
        assertEquals(List.of("internal_error"), decision.reasons(), "the gateway answers 503 policy_unavailable");
        assertEquals(0, decision.ttlMillis(), "never cached");
    }

    @Test
    void aCatchUpThatCannotStartInTimeDenies() throws Exception {
        db.grant("erin");
        Replica replica2 = new Replica();
        assertEquals("ALLOW", replica2.decide("erin", db.latest()));
        db.grant("someone-else");
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        when(replica2.changes.after(anyLong(), anyInt())).thenAnswer(call -> {
            reading.countDown();
            release.await(10, TimeUnit.SECONDS);
            return db.after(call.getArgument(0));
        });
        // The follower is stuck in a slow read of the feed, holding the lock.
        Thread follower = Thread.ofVirtual().start(replica2.snapshot::followOtherReplicas);
        assertTrue(reading.await(5, TimeUnit.SECONDS));
        long start = System.nanoTime();
        assertEquals("internal_error", replica2.decide("erin", db.latest()));
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 250 && waited < 2_000, "bounded by policy.catch-up-wait: " + waited + " ms");
        release.countDown();
        follower.join(5_000);
        assertEquals("ALLOW", replica2.decide("erin", db.latest()));
    }

    @Test
    void theEventLoopPathDeclinesWhateverMemoryCannotAnswerAlone() throws Exception {
        UUID grant = db.grant("lee");
        Replica replica2 = new Replica();
        assertNull(replica2.fromMemory("lee", null), "the subject's rows are not in memory yet");
        assertEquals("ALLOW", replica2.decide("lee", null));
        int reads = db.reads.get();
        assertEquals("ALLOW", replica2.fromMemory("lee", db.latest()));
        assertEquals(reads, db.reads.get(), "answered without a read");

        // Another replica revokes; a caller who has seen it must never get the ALLOW this replica still holds.
        db.revoke(grant);
        assertNull(replica2.fromMemory("lee", db.latest()), "behind the caller's floor: the blocking path catches up");
        assertEquals("grant_revoked", replica2.decide("lee", db.latest()));

        db.grant("lee");
        replica2.snapshot.followOtherReplicas();
        assertEquals("ALLOW", replica2.decide("lee", null));
        replica2.snapshot.invalidate();
        assertNull(replica2.fromMemory("lee", null), "the policy state must be read again");
        assertEquals("ALLOW", replica2.decide("lee", null));
        when(replica2.config.maxLag()).thenReturn(Duration.ofMillis(50));
        Thread.sleep(100);
        assertNull(replica2.fromMemory("lee", null), "memory older than policy.max-lag is not trusted");
    }

    @Test
    void aSwitchOnAnotherModelLeavesTheDecisionAlone() {
        db.grant("frank");
        Replica replica2 = new Replica();
        db.engage("another-model");
        assertEquals("ALLOW", replica2.decide("frank", db.latest()));
    }
}
