package org.vettedaccess.gateway.quota;

/**
 * What one call takes from its grant's buckets and what it gives back when it ends. The refund is what was
 * reserved less what was used: never more than was reserved, and negative (a charge) when the call used more.
 *
 * @param capacities per-minute capacity of each bucket: requests, input tokens, output tokens
 * @param amounts what the call takes from each (the worst case it may use)
 */
public record Reservation(long[] capacities, long[] amounts) {

    public Reservation {
        if (capacities.length != QuotaStore.DIMENSIONS.length || amounts.length != QuotaStore.DIMENSIONS.length) {
            throw new IllegalArgumentException("one capacity and one amount per bucket");
        }
        for (long amount : amounts) {
            if (amount < 0) {
                throw new IllegalArgumentException("a reservation takes, it never gives: " + amount);
            }
        }
    }

    /** The first bucket that could not hold this reservation even when full, or -1 if every bucket could. */
    public int tooLarge() {
        for (int i = 0; i < amounts.length; i++) {
            if (!TokenBuckets.fits(amounts[i], capacities[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What to give back once the call has used {@code inputUsed} and {@code outputUsed} tokens (a negative count,
     * which only a broken upstream reports, counts as zero). The request itself is never given back.
     */
    public long[] refunds(long inputUsed, long outputUsed) {
        return new long[] {0, amounts[1] - Math.max(0, inputUsed), amounts[2] - Math.max(0, outputUsed)};
    }
}
