package org.vettedaccess.kyc.rescreen;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.vettedaccess.kyc.config.KycConfig;

/** Runs the re-screen on its interval, for as long as the service runs. */
@ApplicationScoped
public class RescreenSchedule {

    private static final Logger LOG = Logger.getLogger(RescreenSchedule.class);

    private final RescreenService rescreen;
    private final KycConfig config;
    private volatile boolean running = true;
    private Thread worker;

    public RescreenSchedule(RescreenService rescreen, KycConfig config) {
        this.rescreen = rescreen;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        worker = Thread.ofVirtual().name("rescreen").start(() -> {
            while (running) {
                try {
                    Thread.sleep(config.rescreenInterval().toMillis());
                    RescreenService.Run run = rescreen.run();
                    LOG.infof(
                            "re-screen: %d screened, %d suspended, %d expired",
                            run.screened(), run.suspended(), run.expired());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // The ledger or access-policy is away: nothing changed, and the next run tries again.
                    LOG.warnf("the re-screen did not finish: %s", e.toString());
                }
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }
}
