package org.vettedaccess.policy.grant;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.vettedaccess.policy.config.PolicyConfig;

/** Sweeps expired grants on an interval, on every replica (rows are locked with SKIP LOCKED, so none twice). */
@ApplicationScoped
public class GrantExpiry {

    private static final Logger LOG = Logger.getLogger(GrantExpiry.class);

    private final GrantService grants;
    private final PolicyConfig config;
    private volatile boolean running = true;
    private Thread worker;

    public GrantExpiry(GrantService grants, PolicyConfig config) {
        this.grants = grants;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        worker = Thread.ofVirtual().name("grant-expiry").start(() -> {
            while (running) {
                try {
                    Thread.sleep(config.expirySweep().toMillis());
                    while (running && grants.expireDue(100) == 100) {
                        // a full page: more may be due
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // The ledger or the database is away: the grants stay due and the next sweep tries again.
                    LOG.warnf("the expiry sweep did not finish: %s", e.toString());
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
