package org.vettedaccess.gateway.quota;

/**
 * The token-bucket arithmetic both stores share (the Redis store runs the same rules in a Lua script). A bucket
 * of capacity {@code c} per minute refills at {@code c / 60000} per millisecond.
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
     * What a call may take: the amount, except that a call larger than the whole capacity may take a full bucket
     * (else it could never pass; the limit is then exceeded by at most that one call).
     */
    static double needed(long amount, long capacity) {
        return Math.min(amount, capacity);
    }

    /** Milliseconds until a bucket at {@code level} holds {@code needed}. */
    static long waitMillis(double level, double needed, long capacity) {
        return level >= needed ? 0 : (long) Math.ceil((needed - level) * WINDOW_MILLIS / capacity);
    }
}
