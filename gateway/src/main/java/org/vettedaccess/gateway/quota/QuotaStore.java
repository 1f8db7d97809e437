package org.vettedaccess.gateway.quota;

/**
 * Per-grant rate counters: requests, input tokens and output tokens per minute, each a token bucket that refills
 * continuously at its per-minute limit. A reservation takes from all three or from none; settling gives back what
 * a call reserved and did not use (or takes more, if it used more than estimated).
 */
public interface QuotaStore {

    /**
     * Takes {@code amounts} from the grant's buckets if all of them hold enough.
     *
     * @param grant the grant whose counters these are
     * @param limits per-minute capacity of each bucket: requests, input tokens, output tokens
     * @param amounts what this call takes from each
     */
    Admission reserve(String grant, long[] limits, long[] amounts);

    /**
     * {@link #reserve} without blocking the calling thread (an event loop may call it). The default reserves at once,
     * for stores that never wait.
     */
    default java.util.concurrent.CompletionStage<Admission> reserveAsync(String grant, long[] limits, long[] amounts) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(reserve(grant, limits, amounts));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** Returns {@code refunds} to the grant's buckets (a negative refund takes more), never above capacity. */
    void settle(String grant, long[] limits, long[] refunds);

    /**
     * {@link #settle} without blocking the calling thread (an event loop may call it): the returned stage completes
     * when the counters have been updated. The default settles at once, for stores that never wait.
     */
    default java.util.concurrent.CompletionStage<Void> settleAsync(String grant, long[] limits, long[] refunds) {
        try {
            settle(grant, limits, refunds);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** Whether the store can be used now (Redis reachable). */
    boolean ready();

    /** The three buckets, in the order of the arrays above. */
    String[] DIMENSIONS = {"requests", "input_tokens", "output_tokens"};

    /**
     * The answer to a reservation.
     *
     * @param admitted whether everything was taken
     * @param dimension when refused, the index of the first bucket that was short
     * @param retryAfterMillis when refused, how long until that bucket holds enough
     * @param remaining what each bucket holds after this call
     * @param resetMillis how long until each bucket is full again
     */
    record Admission(boolean admitted, int dimension, long retryAfterMillis, long[] remaining, long[] resetMillis) {}
}
