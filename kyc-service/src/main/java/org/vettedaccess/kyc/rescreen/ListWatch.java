package org.vettedaccess.kyc.rescreen;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.vettedaccess.kyc.sanctions.SanctionsList;

/**
 * Delta re-screening when a list changes, not at the next daily run: every {@code kyc.sanctions.watch-interval}
 * each replica loads changed list files into a new index, and once new lists are in force (loaded here, or by a
 * screening that noticed the change first) every APPROVED and IN_REVIEW application is re-screened, raising only
 * what is new since it was cleared ({@link RescreenService}).
 */
@ApplicationScoped
public class ListWatch {

    private static final Logger LOG = Logger.getLogger(ListWatch.class);

    private final SanctionsList sanctions;
    private final RescreenService rescreen;
    private final AtomicBoolean changed = new AtomicBoolean();

    public ListWatch(SanctionsList sanctions, RescreenService rescreen) {
        this.sanctions = sanctions;
        this.rescreen = rescreen;
    }

    void start(@Observes StartupEvent event) {
        // Told on whichever thread loaded them; the re-screen itself runs on the watch's thread.
        sanctions.onChange(() -> changed.set(true));
    }

    @Scheduled(
            every = "${kyc.sanctions.watch-interval}",
            delayed = "${kyc.sanctions.watch-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        sanctions.reloadIfChanged(true);
        if (changed.getAndSet(false)) {
            RescreenService.Run run = rescreen.run();
            LOG.infof(
                    "sanctions lists changed (%s): re-screened %d, %d suspended, %d with new candidates",
                    sanctions.versions(), run.screened(), run.suspended(), run.flagged());
        }
    }
}
