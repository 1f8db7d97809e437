package org.vettedaccess.gateway.quota;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** Counters in this process's memory: right for one gateway instance, wrong for replicas (use Redis there). */
public final class MemoryQuotaStore implements QuotaStore {

    /** One grant's levels and when each was last updated, by {@link Buckets} index. */
    private static final class Levels {
        final double[] tokens = new double[3];
        final long[] at = new long[3];
        boolean fresh = true;
    }

    private final Map<String, Levels> grants = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public MemoryQuotaStore() {
        this(System::currentTimeMillis);
    }

    /** With a clock of its own (milliseconds), for tests that move time. */
    MemoryQuotaStore(LongSupplier clock) {
        this.clock = clock;
    }

    /** Memory never waits: the answer is there at once. */
    @Override
    public CompletionStage<Answer> reserve(String grant, Buckets limits, Buckets amounts) {
        return CompletableFuture.completedFuture(take(grant, limits, amounts));
    }

    private Answer take(String grant, Buckets limits, Buckets amounts) {
        Levels buckets = grants.computeIfAbsent(grant, g -> new Levels());
        long now = clock.getAsLong();
        synchronized (buckets) {
            if (buckets.fresh) {
                for (int i = 0; i < 3; i++) {
                    buckets.tokens[i] = limits.get(i);
                    buckets.at[i] = now;
                }
                buckets.fresh = false;
            }
            double[] level = new double[3];
            for (int i = 0; i < 3; i++) {
                level[i] = TokenBuckets.level(buckets.tokens[i], buckets.at[i], now, limits.get(i));
            }
            for (int i = 0; i < 3; i++) {
                if (!TokenBuckets.fits(amounts.get(i), limits.get(i))) {
                    return new Answer(false, i, Answer.NEVER, remaining(level), resets(level, limits));
                }
                if (level[i] < amounts.get(i)) {
                    return new Answer(
                            false,
                            i,
                            TokenBuckets.waitMillis(level[i], amounts.get(i), limits.get(i)),
                            remaining(level),
                            resets(level, limits));
                }
            }
            for (int i = 0; i < 3; i++) {
                level[i] -= amounts.get(i);
                buckets.tokens[i] = level[i];
                buckets.at[i] = now;
            }
            return new Answer(true, -1, 0, remaining(level), resets(level, limits));
        }
    }

    @Override
    public CompletionStage<Void> settle(String grant, Buckets limits, Buckets refunds) {
        Levels buckets = grants.get(grant);
        if (buckets == null) {
            return CompletableFuture.completedFuture(null);
        }
        long now = clock.getAsLong();
        synchronized (buckets) {
            for (int i = 0; i < 3; i++) {
                double level = TokenBuckets.level(buckets.tokens[i], buckets.at[i], now, limits.get(i));
                buckets.tokens[i] = Math.min(limits.get(i), level + refunds.get(i));
                buckets.at[i] = now;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean ready() {
        return true;
    }

    /** Whole tokens left in each bucket (a bucket in debt shows zero). */
    static Buckets remaining(double[] level) {
        long[] remaining = new long[level.length];
        for (int i = 0; i < level.length; i++) {
            remaining[i] = Math.max(0, (long) Math.floor(level[i]));
        }
        return Buckets.of(remaining);
    }

    /** Milliseconds until each bucket is full again. */
    static Buckets resets(double[] level, Buckets limits) {
        long[] resets = new long[level.length];
        for (int i = 0; i < level.length; i++) {
            resets[i] = TokenBuckets.waitMillis(level[i], limits.get(i), limits.get(i));
        }
        return Buckets.of(resets);
    }
}
