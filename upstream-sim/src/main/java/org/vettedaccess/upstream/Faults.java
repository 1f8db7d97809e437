package org.vettedaccess.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Failures the simulator can be told to produce, so that tests can watch a gateway deal with a failing model
 * server: set with {@code POST /sim/faults}, counted in {@code GET /sim/stats}. Simulator only.
 */
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
        DRIP
    }

    /** The fault and how many more requests it applies to (negative: until changed). */
    record Setting(Mode mode, int remaining, long delayMs) {}

    private final AtomicReference<Setting> setting = new AtomicReference<>(new Setting(Mode.NONE, -1, 0));
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

    /** Counts one completion request and returns the fault it gets. */
    Setting next() {
        completions.incrementAndGet();
        while (true) {
            Setting current = setting.get();
            if (current.mode() == Mode.NONE || current.remaining() < 0) {
                return current;
            }
            if (current.remaining() == 0) {
                return new Setting(Mode.NONE, -1, 0);
            }
            Setting after = current.remaining() == 1
                    ? new Setting(Mode.NONE, -1, 0)
                    : new Setting(current.mode(), current.remaining() - 1, current.delayMs());
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
