package org.vettedaccess.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Failures the simulator can be told to produce, so that tests can watch a gateway deal with a failing model
 * server: set with {@code POST /sim/faults}, counted in {@code GET /sim/stats}. Simulator only.
 */
@jakarta.inject.Singleton
final class Faults {

    /** What goes wrong with the next completion requests. */
    enum Mode {
        /** Nothing: answer normally. */
        NONE,
        /** Answer 503 in the OpenAI error envelope before any byte of a completion. */
        ERROR,
        /** Wait {@code delayMs} before the first byte. */
        SLOW,
        /** Close the connection: at once for a plain answer, after two chunks for a stream. */
        DISCONNECT,
        /** Send the first chunk of a stream, then nothing more, keeping the connection open. */
        STALL,
        /** Stream normally but {@code delayMs} apart per chunk: many long-lived streams, for benchmarks. */
        DRIP,
        /**
         * Refuse, as OpenAI's models do: chat answers carry the refusal in {@code message.refusal} (streamed:
         * {@code delta.refusal}) with {@code content} null; /v1/completions, which has no refusal field, answers as
         * for CONTENT_FILTER.
         */
        REFUSAL,
        /** Stop the answer half-way with {@code finish_reason: "content_filter"}, plain and streamed. */
        CONTENT_FILTER
    }

    /**
     * The fault and how many more requests it applies to (negative: until changed).
     *
     * @param model the only model it applies to, or null for every model
     */
    record Setting(Mode mode, int remaining, long delayMs, String model) {

        Setting(Mode mode, int remaining, long delayMs) {
            this(mode, remaining, delayMs, null);
        }
    }

    private static final Setting NONE = new Setting(Mode.NONE, -1, 0);

    private final AtomicReference<Setting> setting = new AtomicReference<>(NONE);
    private final AtomicLong completions = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicReference<String> lastTraceparent = new AtomicReference<>("");

    /** Remembers the W3C trace context of the latest completion request, so a test can see it was propagated. */
    void traced(String traceparent) {
        lastTraceparent.set(traceparent == null ? "" : traceparent);
    }

    String lastTraceparent() {
        return lastTraceparent.get();
    }

    void set(Setting next) {
        setting.set(next);
    }

    /** Counts one completion request for the model and returns the fault it gets. */
    Setting next(String model) {
        completions.incrementAndGet();
        while (true) {
            Setting current = setting.get();
            if (current.model() != null && !current.model().equals(model)) {
                return NONE;
            }
            if (current.mode() == Mode.NONE || current.remaining() < 0) {
                return current;
            }
            if (current.remaining() == 0) {
                return NONE;
            }
            Setting after = current.remaining() == 1
                    ? NONE
                    : new Setting(current.mode(), current.remaining() - 1, current.delayMs(), current.model());
            if (setting.compareAndSet(current, after)) {
                return current;
            }
        }
    }

    long completions() {
        return completions.get();
    }

    AtomicInteger openStreams() {
        return open;
    }

    Setting current() {
        return setting.get();
    }
}
