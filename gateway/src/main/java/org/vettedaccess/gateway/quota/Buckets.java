package org.vettedaccess.gateway.quota;

/**
 * One number per bucket of a grant: requests, input tokens and output tokens per minute. Capacities, amounts
 * reserved, refunds, levels and reset times are all of this shape; the record names what {@code long[3]} only
 * numbered.
 */
public record Buckets(long requests, long inputTokens, long outputTokens) {

    /** The buckets' names, by {@link #get} index, as the rate-limit answers name them. */
    public static final String[] NAMES = {"requests", "input_tokens", "output_tokens"};

    /** Index of the requests bucket. */
    public static final int REQUESTS = 0;
    /** Index of the input-tokens bucket. */
    public static final int INPUT_TOKENS = 1;
    /** Index of the output-tokens bucket. */
    public static final int OUTPUT_TOKENS = 2;

    /** The bucket at {@code index} (0 requests, 1 input tokens, 2 output tokens): for the stores' loops. */
    public long get(int index) {
        return switch (index) {
            case REQUESTS -> requests;
            case INPUT_TOKENS -> inputTokens;
            case OUTPUT_TOKENS -> outputTokens;
            default -> throw new IndexOutOfBoundsException("no bucket " + index);
        };
    }

    /** From the stores' arrays, in index order. */
    static Buckets of(long[] values) {
        return new Buckets(values[REQUESTS], values[INPUT_TOKENS], values[OUTPUT_TOKENS]);
    }
}
