package org.vettedaccess.gateway.policy;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *
 * <p>Refills do not stampede (ADR 0095): concurrent misses of one key share one request to access-policy (Caffeine's
 * in-flight future), and a change that only widens access ({@link ChangePage.Change#restrictive()} false) marks the
 * decisions it concerns stale instead of dropping them, so they are served, within their own TTL, while one refresh
 * per key runs. A restrictive change drops them at once.
 *
 * <p>Every request to access-policy carries {@code afterSeq}, the newest change-feed sequence this cache has seen
 * (ADR 0098): the replica that answers first applies every change up to it, so a decision dropped for a change is
 * never refilled from a replica that has not followed that change yet.
 */
@Singleton
public class DecisionCache {

    private static final Logger LOG = Logger.getLogger(DecisionCache.class);
    private static final long FEED_WAIT_MS = 15_000;
    private static final int MAX_ENTRIES = 100_000;

    private final PolicyDecisions policy;
    /**
     * Where requests to access-policy block: never an event loop. Each carries the trace of the call that started
     * it (a shared request shows in the first caller's trace).
     */
    private final ExecutorService fetchers = Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor());
    /**
     * Bounded (Caffeine's W-TinyLFU keeps the decisions in use); each entry lives for its own TTL. A value is in the
     * map while it is fetched, so callers of one key wait on one request; {@code refresh} keeps serving the old value
     * and runs at most one reload per key.
     */
    private final AsyncLoadingCache<Key, Cached> cache;
    /** The cached keys of each subject, so that a change for one subject drops its entries without a scan. */
    private final Map<String, Set<Key>> bySubject = new ConcurrentHashMap<>();
    /** Bumped on every restrictive change, so that a decision fetched before one is never cached after it. */
    private final AtomicLong restrictions = new AtomicLong();
    /** Bumped on every permissive change, so that a decision fetched before one is cached as stale. */
    private final AtomicLong loosenings = new AtomicLong();
    /**
     * The newest change-feed sequence seen, sent with every decision request. Raised before a page's changes are
     * applied, so that a request asked while they are (the refill of a dropped decision) already carries the floor.
     */
    private final AtomicLong appliedSeq = new AtomicLong();

    private final Counter hits;
    private final Counter misses;
    private final Counter staleServed;
    private volatile boolean feedConnected;
    private volatile boolean running = true;
    private Thread listener;

    public DecisionCache(PolicyDecisions policy, MeterRegistry metrics) {
        this.policy = policy;
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfter(Expiry.<Key, Cached>writing(
                        (key, cached) -> Duration.ofNanos(Math.max(0, cached.expiresAtNanos - System.nanoTime()))))
                // Run on the removing thread, so the index never lags behind the cache for long.
                .executor(Runnable::run)
                .removalListener((Key key, Cached cached, RemovalCause cause) -> {
                    if (key != null) {
                        unindex(key);
                    }
                })
                .buildAsync(new AsyncCacheLoader<Key, Cached>() {
                    @Override
                    public CompletableFuture<Cached> asyncLoad(Key key, Executor executor) {
                        // Misses are fetched by decide() with the call's own request; refresh() on a key that has
                        // gone loads nothing.
                        return CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public CompletableFuture<Cached> asyncReload(Key key, Cached old, Executor executor) {
                        return fetch(key, old.request);
                    }
                });
        this.hits = Counter.builder("gateway.decisions")
                .tag("source", "cache")
                .description("Decisions served")
                .register(metrics);
        this.misses = Counter.builder("gateway.decisions")
                .tag("source", "access-policy")
                .description("Decisions served")
                .register(metrics);
        this.staleServed = Counter.builder("gateway.decisions.stale")
                .description("Decisions served from the cache after a permissive change, while one refresh ran")
                .register(metrics);
    }

    private record Key(String subject, String model, String endpoint, UUID grantId) {

        static Key of(DecisionRequest request) {
            return new Key(request.subject(), request.model(), request.endpoint(), request.grantId());
        }
    }

    /** A decision and the request that fetched it (a refresh asks it again); stale once a permissive change hit it. */
    private static final class Cached {
        final Decision decision;
        final DecisionRequest request;
        final long expiresAtNanos;
        /** False for an answer that must not be reused: it expires at once, but the callers waiting on it get it. */
        final boolean reusable;

        volatile boolean stale;
        /**
         * Set by the first caller that serves it stale: Caffeine forgets a finished reload a moment before the new
         * value lands, and a caller in between would start another.
         */
        final AtomicBoolean refreshing = new AtomicBoolean();

        Cached(Decision decision, DecisionRequest request, long expiresAtNanos, boolean reusable, boolean stale) {
            this.decision = decision;
            this.request = request;
            this.expiresAtNanos = expiresAtNanos;
            this.reusable = reusable;
            this.stale = stale;
        }
    }

    /**
     * The decision for a call: from the cache if a fresh one is there, else from access-policy, sharing the request
     * of any concurrent call for the same key. Blocks, so only a worker (a virtual thread) may call it. A deny that
     * depends on the request's own max_tokens is never reused.
     */
    public Decision decide(DecisionRequest request) {
        Decision hit = cached(request.subject(), request.model(), request.endpoint(), request.grantId());
        if (hit != null) {
            return hit;
        }
        if (!feedConnected) {
            misses.increment();
            return ask(request);
        }
        Key key = Key.of(request);
        CompletableFuture<Cached> shared = cache.get(key, (k, executor) -> fetch(k, request));
        Cached cached;
        try {
            cached = shared.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
        if (cached == null) {
            // The key's entry was replaced by refresh()'s empty load: ask ourselves.
            misses.increment();
            return ask(request);
        }
        if (!cached.reusable && !Objects.equals(cached.request.maxTokens(), request.maxTokens())) {
            // Another call's own max_tokens deny: not ours to share.
            misses.increment();
            return ask(request);
        }
        return cached.decision;
    }

    /** One request to access-policy, with the newest change this cache has seen as its floor. */
    private Decision ask(DecisionRequest request) {
        return policy.decide(request.withAfterSeq(appliedSeq.get()));
    }

    /**
     * One request to access-policy on a virtual thread, cached unless a restrictive change arrived meanwhile, and
     * cached as stale if a permissive one did.
     */
    private CompletableFuture<Cached> fetch(Key key, DecisionRequest request) {
        long restrictedBefore = restrictions.get();
        long loosenedBefore = loosenings.get();
        return CompletableFuture.supplyAsync(
                () -> {
                    long now = System.nanoTime();
                    Decision decision = ask(request);
                    misses.increment();
                    boolean requestSpecific = !decision.allowed() && "max_tokens_exceeded".equals(decision.reason());
                    boolean reusable = feedConnected && decision.ttlMillis() > 0 && !requestSpecific;
                    if (reusable) {
                        bySubject
                                .computeIfAbsent(key.subject(), s -> ConcurrentHashMap.newKeySet())
                                .add(key);
                        // Checked after the entry is indexed, so a change that raced the index is seen here.
                        reusable = restrictions.get() == restrictedBefore;
                    }
                    long expires = reusable ? now + decision.ttlMillis() * 1_000_000L : now;
                    return new Cached(decision, request, expires, reusable, loosenings.get() != loosenedBefore);
                },
                fetchers);
    }

    /**
     * The cached decision for a call, or null if none is fresh (then {@link #decide} asks access-policy). A stale
     * one is served while its single refresh runs. Never blocks, so an event loop may call it.
     */
    public Decision cached(String subject, String model, String endpoint, UUID grantId) {
        Key key = new Key(subject, model, endpoint, grantId);
        CompletableFuture<Cached> future = cache.getIfPresent(key);
        if (future == null || !future.isDone() || future.isCompletedExceptionally()) {
            return null;
        }
        Cached cached = future.getNow(null);
        if (cached == null || !cached.reusable || System.nanoTime() >= cached.expiresAtNanos) {
            return null;
        }
        if (cached.stale) {
            // Caffeine runs one reload per key however many callers ask; the old value stays until it lands.
            if (cached.refreshing.compareAndSet(false, true)) {
                cache.synchronous().refresh(key).whenComplete((fresh, failure) -> {
                    if (failure != null) {
                        cached.refreshing.set(false); // the next caller tries again
                    }
                });
            }
            staleServed.increment();
        }
        hits.increment();
        return cached.decision;
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
        fetchers.shutdownNow();
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
                    raiseFloor(page.next());
                    invalidateAll();
                }
                applyPage(page);
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

    /**
     * A page of the feed: the floor first, then the changes, so that a decision asked while they are applied (or
     * right after a drop) is answered by a replica that has applied them too.
     */
    void applyPage(ChangePage page) {
        long newest = page.next();
        for (ChangePage.Change change : page.changes()) {
            newest = Math.max(newest, change.seq());
        }
        raiseFloor(newest);
        for (ChangePage.Change change : page.changes()) {
            apply(change);
        }
    }

    private void raiseFloor(long seq) {
        appliedSeq.accumulateAndGet(seq, Math::max);
    }

    /** The newest change-feed sequence this cache has seen: every decision request's {@code afterSeq}. */
    public long appliedSeq() {
        return appliedSeq.get();
    }

    /**
     * What a change may alter: one subject's decisions, found by the index, or all if it names none. A restrictive
     * change drops them; a permissive one marks them stale, to be refreshed on their next use.
     */
    void apply(ChangePage.Change change) {
        raiseFloor(change.seq());
        boolean restrictive = change.restrictive();
        (restrictive ? restrictions : loosenings).incrementAndGet();
        boolean oneSubject = change.subject() != null && !change.subject().isBlank();
        if (restrictive) {
            if (oneSubject) {
                Set<Key> keys = bySubject.remove(change.subject());
                if (keys != null) {
                    cache.synchronous().invalidateAll(keys);
                }
            } else {
                cache.synchronous().invalidateAll();
            }
            return;
        }
        Iterable<Key> keys = oneSubject
                ? bySubject.getOrDefault(change.subject(), Set.of())
                : cache.asMap().keySet();
        for (Key key : keys) {
            CompletableFuture<Cached> future = cache.getIfPresent(key);
            Cached cached = future == null ? null : future.getNow(null);
            if (cached != null) {
                cached.stale = true;
            }
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
        restrictions.incrementAndGet();
        cache.synchronous().invalidateAll();
    }

    public boolean feedConnected() {
        return feedConnected;
    }
}
