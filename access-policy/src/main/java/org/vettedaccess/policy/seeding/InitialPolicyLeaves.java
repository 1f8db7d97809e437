package org.vettedaccess.policy.seeding;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.vettedaccess.policy.catalog.CatalogService;
import org.vettedaccess.policy.tier.TierService;

/**
 * At start, gives every model and tier version that has no leaf yet (the tiers Flyway seeds, and anything made
 * before the catalog and tiers were leaves) its model.registered or tier.changed leaf, so that the policy in
 * force at any index can be rebuilt from the log alone. Every later version gets its leaf when it is made. Rows
 * are locked with SKIP LOCKED, so two replicas never record one twice; a failure (the ledger away) is retried.
 */
@ApplicationScoped
public class InitialPolicyLeaves {

    private static final Logger LOG = Logger.getLogger(InitialPolicyLeaves.class);
    private static final int PAGE = 100;
    private static final Duration RETRY = Duration.ofSeconds(30);

    private final CatalogService catalog;
    private final TierService tiers;
    private volatile boolean running = true;
    private Thread worker;

    public InitialPolicyLeaves(CatalogService catalog, TierService tiers) {
        this.catalog = catalog;
        this.tiers = tiers;
    }

    void start(@Observes StartupEvent event) {
        worker = Thread.ofVirtual().name("initial-policy-leaves").start(() -> {
            while (running) {
                try {
                    recordAll();
                    return;
                } catch (RuntimeException e) {
                    LOG.warnf("the catalog and tiers are not all leaves yet (retried in %s): %s", RETRY, e.toString());
                }
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Records every unrecorded tier version and model, a page per transaction. */
    void recordAll() {
        while (running && tiers.recordUnrecorded(PAGE) == PAGE) {
            // a full page: more may be unrecorded
        }
        while (running && catalog.recordUnrecorded(PAGE) == PAGE) {
            // likewise
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }
}
