package org.vettedaccess.bench;

import java.util.Arrays;

/** Latency percentiles of a sample, in microseconds. */
record Stats(double p50, double p99, double p999, double mean, int samples) {

    static Stats of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Stats(
                at(sorted, 0.50),
                at(sorted, 0.99),
                at(sorted, 0.999),
                Arrays.stream(sorted).average().orElse(0) / 1000,
                sorted.length);
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1000.0;
    }

    @Override
    public String toString() {
        return String.format("p50 %.0f µs, p99 %.0f µs, p99.9 %.0f µs (n=%d)", p50, p99, p999, samples);
    }
}
