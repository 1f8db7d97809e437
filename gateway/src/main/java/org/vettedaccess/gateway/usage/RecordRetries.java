package org.vettedaccess.gateway.usage;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * Tries a record's write again while the database is briefly gone (a restart, a failover): 30 attempts, 50 ms more
 * between each (at most 2 s), about 23 s in all. Meanwhile the call's PENDING worst case stays recorded, so giving
 * up loses nothing the ledger needs. One guard (SmallRye Fault Tolerance) for every such write: completing a
 * forwarded call's record, and withdrawing the record of a call never forwarded. It waits, so only a worker
 * (virtual) thread calls it.
 */
@ApplicationScoped
public class RecordRetries {

    private static final Logger LOG = Logger.getLogger(RecordRetries.class);

    static final int ATTEMPTS = 30;
    private static final long STEP_MILLIS = 50;
    private static final long MAX_DELAY_MILLIS = 2_000;

    /** A write that may fail with a SQL error. */
    @FunctionalInterface
    public interface Write {
        void run() throws SQLException;
    }

    /** Built on first use: most runs never need it. */
    private volatile TypedGuard<Void> guard;

    /** Runs {@code write} until it succeeds or the attempts are spent; then logs {@code what} could not be done. */
    public void untilWritten(String what, Write write) {
        try {
            guard().call(() -> {
                write.run();
                return null;
            });
        } catch (Exception e) {
            LOG.errorf("could not %s after %d attempts: %s", what, ATTEMPTS, e.toString());
        }
    }

    private TypedGuard<Void> guard() {
        TypedGuard<Void> built = guard;
        if (built == null) {
            synchronized (this) {
                if (guard == null) {
                    guard = TypedGuard.create(Void.class)
                            .withDescription("usage record writes")
                            .withRetry()
                            .maxRetries(ATTEMPTS - 1)
                            .maxDuration(60, ChronoUnit.SECONDS)
                            .jitter(0, ChronoUnit.MILLIS)
                            .retryOn(SQLException.class)
                            .withCustomBackoff()
                            .strategy(LinearBackoff::new)
                            .done()
                            .done()
                            .build();
                }
                built = guard;
            }
        }
        return built;
    }

    /** 50 ms, 100 ms, 150 ms, … up to 2 s: the wait the hand-written loops had. */
    static final class LinearBackoff implements CustomBackoffStrategy {
        private int retries;

        @Override
        public long nextDelayInMillis(Throwable cause) {
            retries++;
            return Math.min(MAX_DELAY_MILLIS, STEP_MILLIS * retries);
        }
    }
}
