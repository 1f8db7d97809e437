package org.vettedaccess.gateway.quota;

/**
 * What one call takes from its grant's buckets and what it gives back when it ends. The refund is what was
 * reserved less what was used: never more than was reserved, and negative (a charge) when the call used more.
 *
 * @param capacities per-minute capacity of each bucket
 * @param amounts what the call takes from each (the worst case it may use)
 */
public record Reservation(Buckets capacities, Buckets amounts) {

    public Reservation {
        if (amounts.requests() < 0 || amounts.inputTokens() < 0 || amounts.outputTokens() < 0) {
            throw new IllegalArgumentException("a reservation takes, it never gives: " + amounts);
        }
    }

    /** The first bucket (a {@link Buckets} index) that could not hold this reservation even when full, or -1. */
    public int tooLarge() {
        for (int i = 0; i < Buckets.NAMES.length; i++) {
            if (!TokenBuckets.fits(amounts.get(i), capacities.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What to give back once the call has used {@code inputUsed} and {@code outputUsed} tokens (a negative count,
     * which only a broken upstream reports, counts as zero). The request itself is never given back.
     */
    public Buckets refunds(long inputUsed, long outputUsed) {
        return new Buckets(
                0, amounts.inputTokens() - Math.max(0, inputUsed), amounts.outputTokens() - Math.max(0, outputUsed));
    }

    /** Everything back, for a call that was never forwarded. */
    public Buckets all() {
        return amounts;
    }
}
