package org.vettedaccess.gateway.owner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.vettedaccess.gateway.key.KeyService;

/**
 * Keys stop working when their owner's Keycloak account is disabled, deleted or loses the researcher role.
 *
 * <p>Keycloak records every change made through its admin API (the console included) as an admin event; this
 * watch reads the newest ones every {@code gateway.owner-watch.interval} and re-checks each account they touch, so
 * the keys of a disabled owner are revoked within that interval and the key cache's lifetime, on every replica
 * (the revocation is in the database they share). Events are read rather than every owner polled because one
 * cheap request a round covers any number of researchers. What the events cannot show (a change while the gateway
 * was down, events switched off) is caught by a sweep over every key owner at start and every
 * {@code sweep-interval}. Every replica watches; revoking is idempotent, so two replicas acting on one event revoke
 * once.
 */
@ApplicationScoped
public class OwnerWatch {

    private static final Logger LOG = Logger.getLogger(OwnerWatch.class);
    private static final int BATCH = 200;
    static final String ACTOR = "identity-provider";

    private final KeycloakAdminClient keycloak;
    private final KeyService keys;
    private final OwnerWatchConfig config;
    private final Counter revokedKeys;
    private volatile boolean running = true;
    private Thread worker;

    /** Newest event time handled, and which events at exactly that time were (several may share a millisecond). */
    private long watermark = -1;

    private Set<String> atWatermark = new HashSet<>();

    public OwnerWatch(KeycloakAdminClient keycloak, KeyService keys, OwnerWatchConfig config, MeterRegistry metrics) {
        this.keycloak = keycloak;
        this.keys = keys;
        this.config = config;
        this.revokedKeys = Counter.builder("gateway_keys_revoked_owner_total")
                .description("API keys revoked because their owner's account was disabled, deleted or lost its role")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        worker = Thread.ofVirtual().name("owner-watch").start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    private void loop() {
        long nextSweep = 0;
        while (running) {
            try {
                if (System.nanoTime() - nextSweep >= 0) {
                    sweep();
                    nextSweep = System.nanoTime() + config.sweepInterval().toNanos();
                }
                if (!round()) {
                    // More changed than one batch shows: check every owner instead of guessing which were missed.
                    sweep();
                }
            } catch (RuntimeException e) {
                LOG.debugf("the owner watch could not read Keycloak now: %s", e.toString());
            }
            try {
                Thread.sleep(config.interval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Handles the account changes since the last round; false if some may have been missed. */
    boolean round() {
        // Yesterday too, so a round just after midnight (UTC, Keycloak's date filter) misses nothing.
        String since = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        List<KeycloakAdminClient.AccountChange> changes = keycloak.recentAccountChanges(since, BATCH);
        if (watermark < 0) {
            // The first round only sets the mark: what happened before is the start sweep's to find.
            watermark = changes.isEmpty() ? 0 : changes.get(0).time();
            changes.stream().filter(c -> c.time() == watermark).forEach(c -> atWatermark.add(id(c)));
            return true;
        }
        Set<String> accounts = new LinkedHashSet<>();
        long newest = watermark;
        Set<String> atNewest = new HashSet<>(atWatermark);
        boolean reachedMark = changes.size() < BATCH;
        for (KeycloakAdminClient.AccountChange change : changes) {
            if (change.time() < watermark || (change.time() == watermark && atWatermark.contains(id(change)))) {
                reachedMark = true;
                continue;
            }
            accounts.add(change.userId());
            if (change.time() > newest) {
                newest = change.time();
                atNewest = new HashSet<>();
            }
            if (change.time() == newest) {
                atNewest.add(id(change));
            }
        }
        watermark = newest;
        atWatermark = atNewest;
        accounts.forEach(this::check);
        return reachedMark;
    }

    /** Checks every owner of a live key. */
    void sweep() {
        keys.ownersOfLiveKeys().forEach(this::check);
    }

    private void check(String account) {
        Optional<Boolean> may = keycloak.mayHoldKeys(account);
        if (may.isPresent() && !may.get()) {
            int revoked = keys.revokeAllOf(account, ACTOR);
            if (revoked > 0) {
                revokedKeys.increment(revoked);
                LOG.infof(
                        "revoked %d API key(s) of %s: the account is disabled, deleted or no longer a researcher",
                        revoked, account);
            }
        }
    }

    private static String id(KeycloakAdminClient.AccountChange change) {
        return change.time() + "|" + change.operation() + "|" + change.userId();
    }
}
