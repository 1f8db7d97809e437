package org.vettedaccess.gateway.usage;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.vettedaccess.gateway.config.GatewayConfig;

/**
 * Asks the ledger every {@code gateway.ledger.probe-interval} whether it answers, so that tiers which fail closed
 * stop within a second of an outage even while the outbox is empty and the relay has nothing to send. Each probe
 * runs on its own virtual thread (a slow one does not delay the next); its own loop, not the scheduler, whose
 * intervals start at one second.
 */
@ApplicationScoped
public class LedgerProbe {

    private static final Logger LOG = Logger.getLogger(LedgerProbe.class);

    private final LedgerProbeApi api;
    private final GatewayConfig config;
    private final LedgerReachability reachability;
    private volatile boolean running = true;
    private volatile boolean reportedDown;
    private volatile String lastWhy = "none yet";
    private Thread ticker;

    public LedgerProbe(@RestClient LedgerProbeApi api, GatewayConfig config) {
        this.api = api;
        this.config = config;
        this.reachability = new LedgerReachability(config.ledger().staleAfter().toNanos());
    }

    /** True while the ledger cannot be shown to answer (see {@link LedgerReachability}). */
    public boolean unreachable() {
        return reachability.unreachable(System.nanoTime());
    }

    void start(@Observes StartupEvent event) {
        long interval = config.ledger().probeInterval().toMillis();
        ticker = Thread.ofVirtual().name("ledger-probe").start(() -> {
            while (running) {
                Thread.ofVirtual().name("ledger-probe-call").start(this::probe);
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (ticker != null) {
            ticker.interrupt();
        }
    }

    void probe() {
        long startedAt = System.nanoTime();
        try {
            api.latest();
            reachability.answered(startedAt);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                // The ledger answered from its database: it just has not signed a checkpoint yet.
                reachability.answered(startedAt);
            } else {
                inconclusive("it answered " + e.getResponse().getStatus());
            }
        } catch (RuntimeException e) {
            if (refused(e)) {
                // Nothing listens: an outage for certain, so fail-closed tiers stop at once.
                lastWhy = "connection refused";
                reachability.failed(startedAt);
            } else {
                inconclusive(e.toString());
            }
        }
        boolean down = unreachable();
        if (down != reportedDown) {
            reportedDown = down;
            if (down) {
                LOG.warnf(
                        "the usage-ledger cannot be reached (last probe: %s): tiers that fail closed refuse calls"
                                + " until it can",
                        lastWhy);
            } else {
                LOG.info("the usage-ledger answers again");
            }
        }
    }

    /**
     * A timeout, an error status, a reset or a missing token: no verdict on its own, so one such blip under load does
     * not stop a tier; a ledger that keeps failing is stopped by the staleness bound ({@code stale-after}, under a
     * second) all the same.
     */
    private void inconclusive(String why) {
        lastWhy = why;
        LOG.debugf("a probe of the usage-ledger did not succeed: %s", why);
        reachability.noAnswer();
    }

    /** Connection refused: the ledger's port has no listener (stopped, crashed, not yet started). */
    static boolean refused(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException
                    && !cause.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    /** True once a first probe has finished, whatever it found. */
    public boolean probed() {
        return reachability.probed();
    }
}
