package org.vettedaccess.gateway.policy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Decisions reused within their time-to-live, and dropped as soon as access-policy's change feed reports a change
 * that may alter them: a revoked grant or an engaged kill switch stops new calls here within the feed's latency
 * (about 100 ms), not the TTL. While the feed is not connected nothing is cached, so a missed change can never keep
 * an allow alive.
 */
@ApplicationScoped
public class DecisionCache {

    private static final Logger LOG = Logger.getLogger(DecisionCache.class);
    private static final long FEED_WAIT_MS = 15_000;
    private static final int MAX_ENTRIES = 100_000;

    private final PolicyDecisions policy;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();
    /** Bumped on every invalidation, so that a decision fetched before a change is never cached after it. */
    private final AtomicLong generation = new AtomicLong();

    private final Counter hits;
    private final Counter misses;
    private volatile boolean feedConnected;
    private volatile boolean running = true;
    private Thread listener;

    public DecisionCache(PolicyDecisions policy, MeterRegistry metrics) {
        this.policy = policy;
        this.hits = Counter.builder("gateway.decisions")
                .tag("source", "cache")
                .description("Decisions served")
                .register(metrics);
        this.misses = Counter.builder("gateway.decisions")
                .tag("source", "access-policy")
                .description("Decisions served")
                .register(metrics);
    }

    private record Key(String subject, String model, String endpoint, UUID grantId) {}

    private record Cached(Decision decision, long expiresAtNanos) {}

    /**
     * The decision for a call: from the cache if a fresh one is there, else from access-policy. A deny that depends
     * on the request's own max_tokens is never cached.
     */
    public Decision decide(String subject, String model, String endpoint, int maxTokens, UUID grantId) {
        Decision hit = cached(subject, model, endpoint, grantId);
        if (hit != null) {
            return hit;
        }
        Key key = new Key(subject, model, endpoint, grantId);
        long now = System.nanoTime();
        long before = generation.get();
        Decision decision = policy.decide(subject, model, endpoint, maxTokens, grantId);
        misses.increment();
        boolean requestSpecific = !decision.allowed() && "max_tokens_exceeded".equals(decision.reason());
        if (feedConnected && decision.ttlMillis() > 0 && !requestSpecific) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(key, new Cached(decision, now + decision.ttlMillis() * 1_000_000L));
            if (generation.get() != before) {
                // A change arrived while we asked: the answer may predate it.
                cache.remove(key);
            }
        }
        return decision;
    }

    /**
     * The cached decision for a call, or null if none is fresh (then {@link #decide} asks access-policy). Never
     * blocks, so an event loop may call it.
     */
    public Decision cached(String subject, String model, String endpoint, UUID grantId) {
        Cached cached = cache.get(new Key(subject, model, endpoint, grantId));
        if (cached != null && System.nanoTime() < cached.expiresAtNanos()) {
            hits.increment();
            return cached.decision();
        }
        return null;
    }

    void start(@Observes StartupEvent event) {
        startFollowing();
    }

    /** Starts following the change feed; until the first answer arrives nothing is cached. */
    public void startFollowing() {
        listener = Thread.ofVirtual().name("policy-change-feed").start(this::listen);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    /** Follows the change feed for as long as the gateway runs, reconnecting after any failure. */
    private void listen() {
        Long after = null;
        long backoff = 100;
        while (running) {
            try {
                PolicyClient.ChangePage page = policy.changes(after, FEED_WAIT_MS);
                if (after == null) {
                    // Subscribed from now on: anything cached before may be older than the feed position.
                    invalidateAll();
                }
                for (PolicyClient.Change change : page.changes()) {
                    apply(change);
                }
                after = page.next();
                if (!feedConnected) {
                    LOG.infof("following access-policy's change feed from %d", after);
                }
                feedConnected = true;
                backoff = 100;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (feedConnected) {
                    LOG.warnf("lost access-policy's change feed, caching nothing until it is back: %s", e.toString());
                }
                feedConnected = false;
                invalidateAll();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, 2_000);
            }
        }
    }

    private void apply(PolicyClient.Change change) {
        generation.incrementAndGet();
        if (change.subject() != null && !change.subject().isBlank()) {
            cache.keySet().removeIf(key -> key.subject().equals(change.subject()));
        } else {
            cache.clear();
        }
    }

    private void invalidateAll() {
        generation.incrementAndGet();
        cache.clear();
    }

    public boolean feedConnected() {
        return feedConnected;
    }
}
