package org.vettedaccess.support.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * When each periodic job last ran, and which replica may run it now, kept in the service's own database: the
 * {@code job_runs} table each service's migration creates ({@code name text PRIMARY KEY, last_success_at
 * timestamptz, last_attempt_at timestamptz NOT NULL, last_error text}). A job is due when its interval has passed
 * since the start of its last successful run (at once if it never ran), or, after a failure, a retry delay after the
 * failed attempt. Whoever holds the job's session-level advisory lock decides and runs, so one replica runs a job at
 * a time and a run another replica just made is seen before deciding; the lock goes with the connection if the
 * replica dies.
 */
public final class JobRuns {

    /** After a failure the job is tried again this soon (or after its interval, if that is shorter). */
    static final Duration RETRY = Duration.ofMinutes(1);

    /** The advisory lock of a job: one per job name and schema (a database may hold several services' schemas). */
    static final String LOCK_KEY = "hashtextextended(current_schema() || '.job_runs.' || ?, 0)";

    private final DataSource dataSource;
    private final Clock clock;

    public JobRuns(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** What one attempt did. */
    public enum Outcome {
        /** The job was due and ran to the end. */
        RAN,
        /** The job was due and failed; it is retried after {@link #RETRY} at the latest. */
        FAILED,
        /** The job is not due yet. */
        NOT_DUE,
        /** Another replica is running the job now. */
        LOCKED
    }

    /** What an attempt did and when to look again. */
    public record Attempt(Outcome outcome, Instant nextCheck, RuntimeException failure) {}

    /** Runs {@code work} if the job is due and no other replica runs it; never runs it twice at once. */
    public Attempt runIfDue(String name, Duration interval, Runnable work) throws SQLException {
        Duration retry = interval.compareTo(RETRY) < 0 ? interval : RETRY;
        try (Connection connection = dataSource.getConnection()) {
            if (!lock(connection, "pg_try_advisory_lock", name)) {
                return new Attempt(Outcome.LOCKED, clock.instant().plus(retry), null);
            }
            try {
                Instant now = clock.instant();
                Instant due = dueAt(connection, name, interval, retry);
                if (now.isBefore(due)) {
                    return new Attempt(Outcome.NOT_DUE, due, null);
                }
                try {
                    work.run();
                } catch (RuntimeException e) {
                    record(connection, name, null, now, e.toString());
                    return new Attempt(Outcome.FAILED, now.plus(retry), e);
                }
                record(connection, name, now, now, null);
                return new Attempt(Outcome.RAN, now.plus(interval), null);
            } finally {
                lock(connection, "pg_advisory_unlock", name);
            }
        }
    }

    private static boolean lock(Connection connection, String function, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(" + LOCK_KEY + ")")) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    private static Instant dueAt(Connection connection, String name, Duration interval, Duration retry)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT last_success_at, last_attempt_at, last_error FROM job_runs WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    return Instant.EPOCH; // never ran: due now
                }
                OffsetDateTime success = result.getObject(1, OffsetDateTime.class);
                Instant due =
                        success == null ? Instant.EPOCH : success.toInstant().plus(interval);
                if (result.getString(3) != null) {
                    Instant retryAt = result.getObject(2, OffsetDateTime.class)
                            .toInstant()
                            .plus(retry);
                    due = due.isAfter(retryAt) ? due : retryAt;
                }
                return due;
            }
        }
    }

    /** Stores an attempt; a failure ({@code success} null) keeps the last success as it was. */
    private static void record(Connection connection, String name, Instant success, Instant attempt, String error)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO job_runs (name, last_success_at, last_attempt_at, last_error) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET last_success_at = coalesce(excluded.last_success_at, "
                        + "job_runs.last_success_at), last_attempt_at = excluded.last_attempt_at, "
                        + "last_error = excluded.last_error")) {
            statement.setString(1, name);
            if (success == null) {
                statement.setNull(2, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                statement.setObject(2, success.atOffset(ZoneOffset.UTC));
            }
            statement.setObject(3, attempt.atOffset(ZoneOffset.UTC));
            statement.setString(4, error == null ? null : truncate(error));
            statement.executeUpdate();
        }
    }

    private static String truncate(String error) {
        return error.length() <= 2000 ? error : error.substring(0, 2000);
    }
}
