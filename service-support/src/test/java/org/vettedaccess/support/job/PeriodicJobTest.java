package org.vettedaccess.support.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vettedaccess.support.testing.MovingClock;

/** Periodic jobs against a real PostgreSQL: when a job is due, at start, and with another replica holding it. */
class PeriodicJobTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static EmbeddedPostgres server;
    private static DataSource database;

    @BeforeAll
    static void startDatabase() throws Exception {
        server = EmbeddedPostgres.builder().start();
        database = server.getPostgresDatabase();
        try (Connection connection = database.getConnection()) {
            // As each service's migration creates it.
            connection
                    .createStatement()
                    .execute("CREATE TABLE job_runs (name text PRIMARY KEY, last_success_at timestamptz, "
                            + "last_attempt_at timestamptz NOT NULL, last_error text)");
        }
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        server.close();
    }

    @BeforeEach
    void noRuns() throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.createStatement().execute("DELETE FROM job_runs");
        }
    }

    private static void storeSuccess(String name, Instant at) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO job_runs (name, last_success_at, last_attempt_at) VALUES (?, ?, ?)")) {
            insert.setString(1, name);
            insert.setObject(2, at.atOffset(ZoneOffset.UTC));
            insert.setObject(3, at.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    private record Stored(Instant success, Instant attempt, String error) {}

    private static Stored stored(String name) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement read = connection.prepareStatement(
                        "SELECT last_success_at, last_attempt_at, last_error FROM job_runs WHERE name = ?")) {
            read.setString(1, name);
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                OffsetDateTime success = row.getObject(1, OffsetDateTime.class);
                return new Stored(
                        success == null ? null : success.toInstant(),
                        row.getObject(2, OffsetDateTime.class).toInstant(),
                        row.getString(3));
            }
        }
    }

    @Test
    void aJobThatNeverRanRunsAtOnceThenNotUntilItsIntervalHasPassed() throws SQLException {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-01T12:00:00Z"));
        JobRuns runs = new JobRuns(database, clock);
        AtomicInteger ran = new AtomicInteger();
        Instant first = clock.instant();

        assertEquals(
                JobRuns.Outcome.RAN,
                runs.runIfDue("rescreen", DAY, ran::incrementAndGet).outcome());
        assertEquals(first, stored("rescreen").success());

        clock.advance(DAY.minusSeconds(1));
        JobRuns.Attempt early = runs.runIfDue("rescreen", DAY, ran::incrementAndGet);
        assertEquals(JobRuns.Outcome.NOT_DUE, early.outcome());
        assertEquals(first.plus(DAY), early.nextCheck(), "due exactly one interval after the last run began");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(
                JobRuns.Outcome.RAN,
                runs.runIfDue("rescreen", DAY, ran::incrementAndGet).outcome());
        assertEquals(2, ran.get());
        assertEquals(clock.instant(), stored("rescreen").success());
    }

    @Test
    void eachJobHasItsOwnLastRun() throws SQLException {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-01T12:00:00Z"));
        JobRuns runs = new JobRuns(database, clock);
        runs.runIfDue("rescreen", DAY, () -> {});
        AtomicInteger expiry = new AtomicInteger();
        assertEquals(
                JobRuns.Outcome.RAN,
                runs.runIfDue("grant-expiry", DAY, expiry::incrementAndGet).outcome());
        assertEquals(1, expiry.get());
    }

    @Test
    void aFailedRunKeepsTheJobDueAndIsRetriedSoonNotAfterAWholeInterval() throws SQLException {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-01T12:00:00Z"));
        JobRuns runs = new JobRuns(database, clock);
        Instant lastGood = clock.instant().minus(Duration.ofDays(2));
        storeSuccess("rescreen", lastGood);

        JobRuns.Attempt failed = runs.runIfDue("rescreen", DAY, () -> {
            throw new IllegalStateException("the ledger is away");
        });
        assertEquals(JobRuns.Outcome.FAILED, failed.outcome());
        Stored after = stored("rescreen");
        assertEquals(lastGood, after.success(), "a failure is not a run");
        assertTrue(after.error().contains("the ledger is away"), after.error());

        clock.advance(JobRuns.RETRY.minusSeconds(1));
        assertEquals(
                JobRuns.Outcome.NOT_DUE,
                runs.runIfDue("rescreen", DAY, () -> {}).outcome());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(
                JobRuns.Outcome.RAN, runs.runIfDue("rescreen", DAY, () -> {}).outcome());
        assertNull(stored("rescreen").error());
    }

    @Test
    void aJobAnotherReplicaHoldsDoesNotRunHereUntilItIsReleased() throws Exception {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-01T12:00:00Z"));
        JobRuns runs = new JobRuns(database, clock);
        AtomicInteger ran = new AtomicInteger();
        try (Connection otherReplica = database.getConnection();
                PreparedStatement lock =
                        otherReplica.prepareStatement("SELECT pg_advisory_lock(" + JobRuns.LOCK_KEY + ")");
                PreparedStatement unlock =
                        otherReplica.prepareStatement("SELECT pg_advisory_unlock(" + JobRuns.LOCK_KEY + ")")) {
            lock.setString(1, "rescreen");
            lock.executeQuery().close();
            assertEquals(
                    JobRuns.Outcome.LOCKED,
                    runs.runIfDue("rescreen", DAY, ran::incrementAndGet).outcome());
            assertEquals(0, ran.get());
            assertNull(stored("rescreen"));
            unlock.setString(1, "rescreen");
            unlock.executeQuery().close();
        }
        assertEquals(
                JobRuns.Outcome.RAN,
                runs.runIfDue("rescreen", DAY, ran::incrementAndGet).outcome());
        assertEquals(1, ran.get());
    }

    @Test
    void twoReplicasDueAtTheSameMomentRunTheJobOnce() throws Exception {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-01T12:00:00Z"));
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch bothAsked = new CountDownLatch(2);
        Runnable slowWork = () -> {
            ran.incrementAndGet();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (var threads = Executors.newFixedThreadPool(2)) {
            java.util.List<Future<JobRuns.Outcome>> outcomes = new java.util.ArrayList<>();
            for (int replica = 0; replica < 2; replica++) {
                JobRuns runs = new JobRuns(database, clock);
                outcomes.add(threads.submit(() -> {
                    bothAsked.countDown();
                    bothAsked.await();
                    return runs.runIfDue("rescreen", DAY, slowWork).outcome();
                }));
            }
            java.util.Set<JobRuns.Outcome> seen = new java.util.HashSet<>();
            for (Future<JobRuns.Outcome> outcome : outcomes) {
                seen.add(outcome.get(10, TimeUnit.SECONDS));
            }
            assertTrue(seen.contains(JobRuns.Outcome.RAN), seen.toString());
        }
        assertEquals(1, ran.get(), "one replica ran it; the other was locked out or found it done");
    }

    @Test
    void atStartAnOverdueJobRunsAtOnceAndOneDueSoonRunsWhenDueNotAWholeIntervalLater() throws Exception {
        Clock clock = Clock.systemUTC();
        storeSuccess("overdue", clock.instant().minus(Duration.ofHours(2)));
        storeSuccess("due-soon", clock.instant().minus(Duration.ofHours(1)).plusMillis(1500));
        CountDownLatch overdue = new CountDownLatch(1);
        CountDownLatch dueSoon = new CountDownLatch(1);
        long started = System.nanoTime();
        try (PeriodicJob first =
                        PeriodicJob.start(database, clock, "overdue", Duration.ofHours(1), overdue::countDown);
                PeriodicJob second =
                        PeriodicJob.start(database, clock, "due-soon", Duration.ofHours(1), dueSoon::countDown)) {
            assertTrue(overdue.await(2, TimeUnit.SECONDS), "an overdue job runs at start");
            assertEquals(1, dueSoon.getCount(), "a job not due yet does not run at start");
            assertTrue(dueSoon.await(5, TimeUnit.SECONDS), "a job due soon after start runs when due");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waited >= 1000, "not before it is due (" + waited + " ms)");
        }
    }
}
