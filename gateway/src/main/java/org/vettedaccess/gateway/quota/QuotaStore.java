package org.vettedaccess.gateway.quota;

import java.util.concurrent.CompletionStage;

/**
 * Per-grant rate counters: requests, input tokens and output tokens per minute, each a token bucket that refills
 * continuously at its per-minute limit. A reservation takes from all three or from none; settling gives back what
 * a call reserved and did not use (or takes more, if it used more than estimated).
 */
public interface QuotaStore {

    /**
     * Takes {@code amounts} from the grant's buckets if all of them hold enough; an amount larger than its bucket's
     * capacity is refused (never clipped to it). Never blocks the calling thread (an
     * event loop calls it): the stage completes with the answer, or fails if the counters cannot be reached.
     *
     * @param grant the grant whose counters these are
     * @param limits per-minute capacity of each bucket
     * @param amounts what this call takes from each
     */
    CompletionStage<Answer> reserve(String grant, Buckets limits, Buckets amounts);

    /**
     * Returns {@code refunds} to the grant's buckets (a negative refund takes more, and may leave a bucket below
     * zero), never above capacity; see {@link Reservation#refunds}. Never
     * blocks: the stage completes when the counters have been updated.
     */
    CompletionStage<Void> settle(String grant, Buckets limits, Buckets refunds);

    /** Whether the store can be used now (Redis reachable). */
    boolean ready();

    /**
     * The answer to a reservation.
     *
     * @param admitted whether everything was taken
     * @param dimension when refused, the {@link Buckets} index of the first bucket that was short
     * @param retryAfterMillis when refused, how long until that bucket holds enough; {@link #NEVER} if it never
     *     will (the call asks for more than the bucket's whole capacity)
     * @param remaining what each bucket holds after this call
     * @param resetMillis how long until each bucket is full again
     */
    record Answer(boolean admitted, int dimension, long retryAfterMillis, Buckets remaining, Buckets resetMillis) {

        /** The wait of a call larger than the bucket's capacity: waiting does not help. */
        public static final long NEVER = -1;
    }
}
