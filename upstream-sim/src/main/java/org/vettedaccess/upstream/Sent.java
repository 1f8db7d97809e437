package org.vettedaccess.upstream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tokens the simulator generated and sent, per model and in all, counted as they go out (a stream's tokens
 * chunk by chunk, so a cancelled stream counts what it sent): what a test compares with a gateway's limits, rather
 * than what the gateway says it let through. Simulator only.
 */
@jakarta.inject.Singleton
final class Sent {

    /** Models counted one by one; beyond this many (the simulator serves any sim-* id) only the total counts. */
    private static final int MAX_MODELS = 10_000;

    /** What was sent for one model, or in all. */
    record Counts(long requests, long promptTokens, long completionTokens) {}

    /** The running counts of one model. */
    static final class Tally {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong promptTokens = new AtomicLong();
        final AtomicLong completionTokens = new AtomicLong();

        Counts counts() {
            return new Counts(requests.get(), promptTokens.get(), completionTokens.get());
        }
    }

    /** Counts one request's tokens into its model's tally and the total. */
    final class Counter {
        private final Tally model;

        private Counter(Tally model) {
            this.model = model;
        }

        void completion(long tokens) {
            if (model != null) {
                model.completionTokens.addAndGet(tokens);
            }
            all.completionTokens.addAndGet(tokens);
        }

        /** One stream chunk went out; it counts if it carried a token. */
        void sent(boolean token) {
            if (token) {
                completion(1);
            }
        }
    }

    private final Map<String, Tally> models = new ConcurrentHashMap<>();
    private final Tally all = new Tally();

    Counter request(String model, long promptTokens) {
        Tally tally = models.get(model);
        if (tally == null && models.size() < MAX_MODELS) {
            tally = models.computeIfAbsent(model, m -> new Tally());
        }
        if (tally != null) {
            tally.requests.incrementAndGet();
            tally.promptTokens.addAndGet(promptTokens);
        }
        all.requests.incrementAndGet();
        all.promptTokens.addAndGet(promptTokens);
        return new Counter(tally);
    }

    Counts of(String model) {
        Tally tally = models.get(model);
        return tally == null ? new Counts(0, 0, 0) : tally.counts();
    }

    Counts total() {
        return all.counts();
    }
}
