package org.vettedaccess.gateway.openai;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a server-sent-events byte stream into whole events as chunks arrive, so each event is passed on as soon as
 * it is complete, and the one that carries usage can be read. Keeps at most one partial event.
 */
final class SseEvents {

    private static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;

    /** Bytes, not text, so that a character split across two chunks is decoded whole. */
    private Buffer pending = Buffer.buffer();

    /** The events completed by this chunk, each without its terminating blank line. */
    List<String> feed(Buffer chunk) {
        pending.appendBuffer(chunk);
        List<String> events = new ArrayList<>(2);
        int start = 0;
        int length = pending.length();
        for (int i = 0; i < length; i++) {
            if (pending.getByte(i) != '\n') {
                continue;
            }
            int next = i + 1;
            if (next < length && pending.getByte(next) == '\r') {
                next++;
            }
            if (next < length && pending.getByte(next) == '\n') {
                events.add(pending.getString(start, i, "UTF-8").replace("\r", ""));
                start = next + 1;
                i = next;
            }
        }
        if (start > 0) {
            pending = pending.getBuffer(start, length);
        }
        if (pending.length() > MAX_EVENT_BYTES) {
            throw new IllegalStateException("an upstream event is larger than " + MAX_EVENT_BYTES + " bytes");
        }
        return events;
    }

    /** Whatever is left when the stream ends (an event without its blank line). */
    String rest() {
        String rest = pending.toString(StandardCharsets.UTF_8).strip();
        pending = Buffer.buffer();
        return rest;
    }

    /** The data of an event: its {@code data:} lines joined, or null if it has none. */
    static String data(String event) {
        StringBuilder data = null;
        for (String line : event.split("\n")) {
            if (line.startsWith("data:")) {
                String value = line.length() > 5 && line.charAt(5) == ' ' ? line.substring(6) : line.substring(5);
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
        }
        return data == null ? null : data.toString();
    }
}
