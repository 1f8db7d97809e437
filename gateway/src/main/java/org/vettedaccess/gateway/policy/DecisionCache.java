package org.vettedaccess.gateway.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.vettedaccess.contracts.policy.ChangePage;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;

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
    /** Bounded (Caffeine's W-TinyLFU keeps the decisions in use); each entry lives for its own TTL. */
    private final Cache<Key, Cached> cache;
    /** The cached keys of each subject, so that a change for one subject drops its entries without a scan. */
    private final Map<String, Set<Key>> bySubject = new ConcurrentHashMap<>();
    /** Bumped on every invalidation, so that a decision fetched before a change is never cached after it. */
    private final AtomicLong generation = new AtomicLong();

    private final Counter hits;
    private final Counter misses;
    private volatile boolean feedConnected;
    private volatile boolean running = true;
    private Thread listener;

    public DecisionCache(PolicyDecisions policy, MeterRegistry metrics) {
        this.policy = policy;
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfter(Expiry.<Key, Cached>creating(
                        (key, cached) -> Duration.ofNanos(Math.max(0, cached.expiresAtNanos() - System.nanoTime()))))
                // Run on the removing thread, so the index never lags behind the cache for long.
                .executor(Runnable::run)
                .removalListener((Key key, Cached cached, RemovalCause cause) -> {
                    if (key != null) {
                        unindex(key);
                    }
                })
                .build();
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
    public Decision decide(DecisionRequest request) {
        Decision hit = cached(request.subject(), request.model(), request.endpoint(), request.grantId());
        if (hit != null) {
            return hit;
        }
        String subject = request.subject();
        Key key = new Key(subject, request.model(), request.endpoint(), request.grantId());
        long now = System.nanoTime();
        long before = generation.get();
        Decision decision = policy.decide(request);
        misses.increment();
        boolean requestSpecific = !decision.allowed() && "max_tokens_exceeded".equals(decision.reason());
        if (feedConnected && decision.ttlMillis() > 0 && !requestSpecific) {
            cache.put(key, new Cached(decision, now + decision.ttlMillis() * 1_000_000L));
            bySubject
                    .computeIfAbsent(subject, s -> ConcurrentHashMap.newKeySet())
                    .add(key);
            // Checked after the entry is both cached and indexed, so a change that raced either is seen here.
            if (generation.get() != before) {
                // A change arrived while we asked: the answer may predate it.
                cache.invalidate(key);
            }
        }
        return decision;
    }

    /**
     * The cached decision for a call, or null if none is fresh (then {@link #decide} asks access-policy). Never
     * blocks, so an event loop may call it.
     */
    public Decision cached(String subject, String model, String endpoint, UUID grantId) {
        Cached cached = cache.getIfPresent(new Key(subject, model, endpoint, grantId));
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
                ChangePage page = policy.changes(after, FEED_WAIT_MS);
                if (after == null) {
                    // Subscribed from now on: anything cached before may be older than the feed position.
                    invalidateAll();
                }
                for (ChangePage.Change change : page.changes()) {
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

    /** Drops what a change may alter: one subject's decisions, found by the index, or all if it names none. */
    void apply(ChangePage.Change change) {
        generation.incrementAndGet();
        if (change.subject() != null && !change.subject().isBlank()) {
            Set<Key> keys = bySubject.remove(change.subject());
            if (keys != null) {
                cache.invalidateAll(keys);
            }
        } else {
            cache.invalidateAll();
        }
    }

    private void unindex(Key key) {
        if (cache.asMap().containsKey(key)) {
            return; // replaced by a newer decision, which stays indexed
        }
        bySubject.computeIfPresent(key.subject(), (subject, keys) -> {
            keys.remove(key);
            return keys.isEmpty() ? null : keys;
        });
    }

    private void invalidateAll() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }

    public boolean feedConnected() {
        return feedConnected;
    }
}
