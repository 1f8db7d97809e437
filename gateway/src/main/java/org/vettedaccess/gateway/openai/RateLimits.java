package org.vettedaccess.gateway.openai;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vettedaccess.gateway.quota.Buckets;
import org.vettedaccess.gateway.quota.QuotaStore;

/** The answers about rate limits on /v1: the headers of every call and the 429s, as OpenAI writes them. */
final class RateLimits {

    private RateLimits() {}

    /** A 429 for a bucket that holds too little now, with when to retry. */
    static OpenAiError exceeded(QuotaStore.Answer admission, Buckets capacities) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers(headers::put, admission, capacities);
        long waitMillis = Math.max(1, admission.retryAfterMillis());
        // The OpenAI SDKs read retry-after-ms first, then retry-after (whole seconds, rounded up).
        headers.put("retry-after-ms", Long.toString(waitMillis));
        headers.put("Retry-After", Long.toString((waitMillis + 999) / 1000));
        String dimension = Buckets.NAMES[admission.dimension()].replace('_', ' ');
        return OpenAiError.rateLimited(
                "Rate limit reached for " + dimension + " per minute on your grant; retry after "
                        + headers.get("Retry-After") + " s.",
                headers);
    }

    /**
     * A call that asks for more than a bucket's whole capacity: no wait would admit it, so it is a 429 as OpenAI
     * answers a request too large for its tokens-per-minute limit, without a retry delay and with
     * {@code x-should-retry: false}, which stops the OpenAI SDKs retrying it.
     */
    static OpenAiError tooLarge(ModelCall call, int dimension, int maxTokens, long amount, long capacity) {
        String message;
        String param;
        if (dimension == Buckets.OUTPUT_TOKENS) {
            param = call.choices > 1 ? "n" : call.endpoint == Endpoint.RESPONSES ? "max_output_tokens" : "max_tokens";
            message = "This call may generate up to " + amount + " output tokens (max_tokens " + maxTokens + " × "
                    + call.choices + (call.choices == 1 ? " sequence" : " sequences")
                    + "), more than your grant's limit of " + capacity
                    + " output tokens per minute, so it can never be admitted; lower max_tokens or n.";
        } else if (dimension == Buckets.INPUT_TOKENS) {
            param = switch (call.endpoint) {
                case CHAT -> "messages";
                case COMPLETIONS -> "prompt";
                case EMBEDDINGS, RESPONSES -> "input";
            };
            message = "The input is about " + amount + " tokens, more than your grant's limit of " + capacity
                    + " input tokens per minute, so it can never be admitted; shorten it.";
        } else {
            param = null;
            message = "Your grant's limit of " + capacity + " requests per minute admits no call.";
        }
        return OpenAiError.requestTooLarge(param, message);
    }

    interface HeaderSink {
        void put(String name, String value);
    }

    /**
     * The rate-limit headers as OpenAI names and means them: {@code -requests}, and {@code -tokens} for all tokens,
     * input and output together (limit and remaining summed over both buckets; reset when both are full again).
     * The gateway limits input and output separately, so each has its own headers too ({@code -input-tokens},
     * {@code -output-tokens}): those say which of them a call will run into.
     */
    static void headers(HeaderSink sink, QuotaStore.Answer admission, Buckets capacities) {
        Buckets remaining = admission.remaining();
        Buckets resets = admission.resetMillis();
        sink.put("x-ratelimit-limit-requests", Long.toString(capacities.requests()));
        sink.put("x-ratelimit-remaining-requests", Long.toString(remaining.requests()));
        sink.put("x-ratelimit-reset-requests", duration(resets.requests()));
        sink.put("x-ratelimit-limit-tokens", Long.toString(capacities.inputTokens() + capacities.outputTokens()));
        sink.put("x-ratelimit-remaining-tokens", Long.toString(remaining.inputTokens() + remaining.outputTokens()));
        sink.put("x-ratelimit-reset-tokens", duration(Math.max(resets.inputTokens(), resets.outputTokens())));
        sink.put("x-ratelimit-limit-input-tokens", Long.toString(capacities.inputTokens()));
        sink.put("x-ratelimit-remaining-input-tokens", Long.toString(remaining.inputTokens()));
        sink.put("x-ratelimit-reset-input-tokens", duration(resets.inputTokens()));
        sink.put("x-ratelimit-limit-output-tokens", Long.toString(capacities.outputTokens()));
        sink.put("x-ratelimit-remaining-output-tokens", Long.toString(remaining.outputTokens()));
        sink.put("x-ratelimit-reset-output-tokens", duration(resets.outputTokens()));
    }

    /**
     * A duration as OpenAI writes its reset headers, which is Go's {@code time.Duration} format to the
     * millisecond: "0s", "250ms", "1.25s", "6m0s", "1h0m0s". Many per call, so not String.format, which showed in
     * the profile.
     */
    static String duration(long millis) {
        long ms = Math.max(0, millis);
        if (ms == 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        StringBuilder text = new StringBuilder(12);
        long hours = ms / 3_600_000;
        long minutes = ms / 60_000 % 60;
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        text.append(ms / 1000 % 60);
        long fraction = ms % 1000;
        if (fraction != 0) {
            String digits = Long.toString(1000 + fraction).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            text.append('.').append(digits, 0, end);
        }
        return text.append('s').toString();
    }
}
