package org.vettedaccess.policy.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.vettedaccess.policy.change.ChangeFeed;

/**
 * A subject's rows are read once and reused until a change names the subject; a read that straddles such a change is
 * handed to its caller but never kept.
 */
class SubjectRowsTest {

    private final PolicyDb db = new PolicyDb();

    @Test
    void aSubjectsRowsAreReadOnceAndReused() {
        db.grant("alice");
        SubjectRows rows = new SubjectRows(db::rowsOf, 1000);
        SubjectRows.Rows first = rows.of("alice");
        SubjectRows.Rows second = rows.of("alice");
        assertEquals(1, db.reads.get());
        assertEquals(first, second);
        assertEquals("APPROVED", first.assurance().status);
        assertEquals(1, first.grants().size());
    }

    @Test
    void aLocalChangeDropsItsSubjectAndNoOther() {
        UUID alices = db.grant("alice");
        db.grant("bob");
        SubjectRows rows = new SubjectRows(db::rowsOf, 1000);
        rows.of("alice");
        rows.of("bob");
        db.revoke(alices);
        rows.onLocalChange(new ChangeFeed.Changed("grant.revoked", "alice"));
        assertEquals("REVOKED", rows.of("alice").grants().get(0).status);
        rows.of("bob");
        assertEquals(3, db.reads.get(), "alice read again, bob still from memory");
    }

    @Test
    void aChangeNamingNobodyKeepsEveryonesRows() {
        db.grant("alice");
        SubjectRows rows = new SubjectRows(db::rowsOf, 1000);
        rows.of("alice");
        rows.onLocalChange(new ChangeFeed.Changed("killswitch.engaged", null));
        rows.of("alice");
        assertEquals(1, db.reads.get());
    }

    @Test
    void theFeedServedToAGatewayDropsTheSubjectsItNames() {
        db.grant("alice");
        SubjectRows rows = new SubjectRows(db::rowsOf, 1000);
        rows.of("alice");
        db.suspendKyc("alice");
        rows.onFeedRead(new ChangeFeed.Seen(db.latest(), Set.of("alice")));
        assertEquals("SUSPENDED", rows.of("alice").assurance().status);
    }

    @Test
    void aReadThatStartedBeforeAChangeIsNotKeptAfterIt() throws Exception {
        UUID grant = db.grant("alice");
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Function<String, SubjectRows.Rows> slow = subject -> {
            SubjectRows.Rows read = db.rowsOf(subject);
            if (db.reads.get() == 1) {
                reading.countDown();
                await(release);
            }
            return read;
        };
        SubjectRows rows = new SubjectRows(slow, 1000);
        CompletableFuture<SubjectRows.Rows> first = CompletableFuture.supplyAsync(() -> rows.of("alice"));
        assertTrue(reading.await(5, TimeUnit.SECONDS));
        // The revocation commits and is applied while the first read, which saw the grant ACTIVE, is still running.
        db.revoke(grant);
        rows.invalidate("alice");
        release.countDown();
        assertEquals("ACTIVE", first.get(5, TimeUnit.SECONDS).grants().get(0).status, "its caller gets what it read");
        assertEquals("REVOKED", rows.of("alice").grants().get(0).status, "but it was not kept");
    }

    @Test
    void dropAllAlsoDiscardsAReadInFlight() throws Exception {
        UUID grant = db.grant("alice");
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SubjectRows rows = new SubjectRows(
                subject -> {
                    SubjectRows.Rows read = db.rowsOf(subject);
                    if (db.reads.get() == 1) {
                        reading.countDown();
                        await(release);
                    }
                    return read;
                },
                1000);
        CompletableFuture<SubjectRows.Rows> first = CompletableFuture.supplyAsync(() -> rows.of("alice"));
        assertTrue(reading.await(5, TimeUnit.SECONDS));
        db.revoke(grant);
        rows.invalidateAll();
        release.countDown();
        first.get(5, TimeUnit.SECONDS);
        assertEquals("REVOKED", rows.of("alice").grants().get(0).status);
    }

    @Test
    void theCacheIsBounded() {
        SubjectRows rows = new SubjectRows(db::rowsOf, 50);
        for (int i = 0; i < 1_000; i++) {
            rows.of("subject-" + i);
        }
        assertTrue(rows.size() <= 50, "at most policy.subject-cache-size subjects: " + rows.size());
    }

    @Test
    void aSubjectWithoutAssuranceIsStillDecidedOn() {
        SubjectRows rows = new SubjectRows(db::rowsOf, 10);
        assertEquals(null, rows.of("nobody").assurance());
        assertEquals(0, rows.of("nobody").grants().size());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
