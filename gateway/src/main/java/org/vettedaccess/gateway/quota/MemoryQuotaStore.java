package org.vettedaccess.gateway.quota;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** Counters in this process's memory: right for one gateway instance, wrong for replicas (use Redis there). */
public final class MemoryQuotaStore implements QuotaStore {

    private static final class Buckets {
        final double[] tokens = new double[3];
        final long[] at = new long[3];
        boolean fresh = true;
    }

    private final Map<String, Buckets> grants = new ConcurrentHashMap<>();
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
    public CompletionStage<Admission> reserve(String grant, long[] limits, long[] amounts) {
        return CompletableFuture.completedFuture(take(grant, limits, amounts));
    }

    private Admission take(String grant, long[] limits, long[] amounts) {
        Buckets buckets = grants.computeIfAbsent(grant, g -> new Buckets());
        long now = clock.getAsLong();
        synchronized (buckets) {
            if (buckets.fresh) {
                for (int i = 0; i < 3; i++) {
                    buckets.tokens[i] = limits[i];
                    buckets.at[i] = now;
                }
                buckets.fresh = false;
            }
            double[] level = new double[3];
            for (int i = 0; i < 3; i++) {
                level[i] = TokenBuckets.level(buckets.tokens[i], buckets.at[i], now, limits[i]);
            }
            for (int i = 0; i < 3; i++) {
                if (!TokenBuckets.fits(amounts[i], limits[i])) {
                    return new Admission(false, i, Admission.NEVER, remaining(level), resets(level, limits));
                }
                if (level[i] < amounts[i]) {
                    return new Admission(
                            false,
                            i,
                            TokenBuckets.waitMillis(level[i], amounts[i], limits[i]),
                            remaining(level),
                            resets(level, limits));
                }
            }
            for (int i = 0; i < 3; i++) {
                level[i] -= amounts[i];
                buckets.tokens[i] = level[i];
                buckets.at[i] = now;
            }
            return new Admission(true, -1, 0, remaining(level), resets(level, limits));
        }
    }

    @Override
    public CompletionStage<Void> settle(String grant, long[] limits, long[] refunds) {
        Buckets buckets = grants.get(grant);
        if (buckets == null) {
            return CompletableFuture.completedFuture(null);
        }
        long now = clock.getAsLong();
        synchronized (buckets) {
            for (int i = 0; i < 3; i++) {
                double level = TokenBuckets.level(buckets.tokens[i], buckets.at[i], now, limits[i]);
                buckets.tokens[i] = Math.min(limits[i], level + refunds[i]);
                buckets.at[i] = now;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean ready() {
        return true;
    }

    static long[] remaining(double[] level) {
        long[] remaining = new long[level.length];
        for (int i = 0; i < level.length; i++) {
            remaining[i] = Math.max(0, (long) Math.floor(level[i]));
        }
        return remaining;
    }

    static long[] resets(double[] level, long[] limits) {
        long[] resets = new long[level.length];
        for (int i = 0; i < level.length; i++) {
            resets[i] = TokenBuckets.waitMillis(level[i], limits[i], limits[i]);
        }
        return resets;
    }
}
