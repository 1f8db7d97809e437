package org.vettedaccess.kyc.rescreen;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import org.jboss.logging.Logger;
import org.vettedaccess.kyc.config.KycConfig;
import org.vettedaccess.support.job.PeriodicJob;

/**
 * Runs the re-screen (and closes expired approvals) every {@code kyc.rescreen-interval}, counted from the last run
 * whichever replica made it: overdue at start, it runs at once, and one replica runs it at a time.
 */
@ApplicationScoped
public class RescreenSchedule {

    private static final Logger LOG = Logger.getLogger(RescreenSchedule.class);

    private final RescreenService rescreen;
    private final KycConfig config;
    private final AgroalDataSource dataSource;
    private final Clock clock;
    private PeriodicJob job;

    public RescreenSchedule(RescreenService rescreen, KycConfig config, AgroalDataSource dataSource, Clock clock) {
        this.rescreen = rescreen;
        this.config = config;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        // A failure (the ledger or access-policy away) is stored and retried; nothing changed meanwhile.
        job = PeriodicJob.start(dataSource, clock, "rescreen", config.rescreenInterval(), () -> {
            RescreenService.Run run = rescreen.run();
            LOG.infof(
                    "re-screen: %d screened, %d suspended, %d expired", run.screened(), run.suspended(), run.expired());
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.close();
        }
    }
}
