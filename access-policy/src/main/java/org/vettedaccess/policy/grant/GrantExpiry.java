package org.vettedaccess.policy.grant;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.support.job.PeriodicJob;

/**
 * Sweeps expired grants every {@code policy.expiry-sweep}, counted from the last sweep whichever replica made it:
 * overdue at start, it runs at once, and one replica sweeps at a time (rows are also locked with SKIP LOCKED).
 * Each expiry is a change-feed entry, so the gateways drop what they cached for the researcher.
 */
@ApplicationScoped
public class GrantExpiry {

    private final GrantService grants;
    private final PolicyConfig config;
    private final AgroalDataSource dataSource;
    private final Clock clock;
    private PeriodicJob job;

    public GrantExpiry(GrantService grants, PolicyConfig config, AgroalDataSource dataSource, Clock clock) {
        this.grants = grants;
        this.config = config;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        // A failure (the ledger or the database away) leaves the grants due; the job is retried.
        job = PeriodicJob.start(dataSource, clock, "grant-expiry", config.expirySweep(), () -> {
            while (grants.expireDue(100) == 100) {
                // a full page: more may be due
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.close();
        }
    }
}
