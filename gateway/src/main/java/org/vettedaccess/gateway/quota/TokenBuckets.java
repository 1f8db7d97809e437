package org.vettedaccess.gateway.quota;

/**
 * The token-bucket arithmetic both stores share (the Redis store runs the same rules in a Lua script). A bucket
 * of capacity {@code c} per minute refills at {@code c / 60000} per millisecond. A level may go below zero: a call
 * that used more than it reserved is charged the excess, and the bucket stays in debt until it has refilled.
 */
final class TokenBuckets {

    static final long WINDOW_MILLIS = 60_000;

    private TokenBuckets() {}

    /** The bucket's level at {@code now}, after refilling since {@code at}. */
    static double level(double tokens, long at, long now, long capacity) {
        double refilled = tokens + Math.max(0, now - at) * (double) capacity / WINDOW_MILLIS;
        return Math.min(capacity, refilled);
    }

    /**
     * Whether a full bucket could ever hold {@code amount}. A call larger than the whole capacity is refused, never
     * clipped to it: clipping let such a call take a full bucket, use more, and be refunded as if it had not.
     */
    static boolean fits(long amount, long capacity) {
        return amount <= capacity;
    }

    /** Milliseconds until a bucket at {@code level} holds {@code needed}. */
    static long waitMillis(double level, double needed, long capacity) {
        return level >= needed ? 0 : (long) Math.ceil((needed - level) * WINDOW_MILLIS / capacity);
    }
}
