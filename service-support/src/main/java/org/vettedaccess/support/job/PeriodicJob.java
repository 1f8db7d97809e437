package org.vettedaccess.support.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * A job that runs on its interval across restarts and replicas (docs/architecture.md, "Periodic jobs"): a loop on a
 * virtual thread that asks {@link JobRuns} whether the job is due, runs it if so, and sleeps until it is next due
 * (waking at least every minute, to notice a run another replica made or a replica that died). A job overdue at
 * start runs at once; a restart just before a job is due does not push it back by a whole interval.
 */
public final class PeriodicJob implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PeriodicJob.class);
    private static final Duration LONGEST_SLEEP = Duration.ofMinutes(1);

    private final JobRuns runs;
    private final Clock clock;
    private final String name;
    private final Duration interval;
    private final Runnable work;
    private volatile boolean running = true;
    private final Thread worker;

    private PeriodicJob(JobRuns runs, Clock clock, String name, Duration interval, Runnable work) {
        this.runs = runs;
        this.clock = clock;
        this.name = name;
        this.interval = interval;
        this.work = work;
        this.worker = Thread.ofVirtual().name("job-" + name).unstarted(this::loop);
    }

    /**
     * Starts following job {@code name}: {@code work} runs each {@code interval}, on one replica at a time, its runs
     * stored in {@code dataSource}'s {@code job_runs} table. Stop it with {@link #close()} at shutdown.
     */
    public static PeriodicJob start(DataSource dataSource, Clock clock, String name, Duration interval, Runnable work) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("job " + name + " needs a positive interval, not " + interval);
        }
        PeriodicJob job = new PeriodicJob(new JobRuns(dataSource, clock), clock, name, interval, work);
        job.worker.start();
        return job;
    }

    private void loop() {
        while (running) {
            Instant next;
            try {
                JobRuns.Attempt attempt = runs.runIfDue(name, interval, work);
                if (attempt.outcome() == JobRuns.Outcome.FAILED) {
                    LOG.warnf(
                            "job %s did not finish, tried again by %s: %s",
                            name, attempt.nextCheck(), attempt.failure());
                }
                next = attempt.nextCheck();
            } catch (java.sql.SQLException | RuntimeException e) {
                // The database is away: nobody can know whether the job ran; look again soon.
                if (!running) {
                    return;
                }
                LOG.warnf("job %s cannot read its last run now: %s", name, e.toString());
                next = clock.instant().plus(interval.compareTo(JobRuns.RETRY) < 0 ? interval : JobRuns.RETRY);
            }
            Duration sleep = Duration.between(clock.instant(), next);
            if (sleep.compareTo(LONGEST_SLEEP) > 0) {
                sleep = LONGEST_SLEEP;
            }
            try {
                Thread.sleep(Math.max(10, sleep.toMillis()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops the loop; a run in progress is interrupted. */
    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }
}
