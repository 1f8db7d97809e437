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

    /** The last event ended with a bare CR at the end of a chunk: a LF starting the next one belongs to it. */
    private boolean skipLineFeed;

    /**
     * The events completed by this chunk, each without its terminating blank line and with its lines ended by LF.
     * Lines may end in LF, CRLF or a bare CR, as the SSE format allows; chunks may split anywhere, even a CRLF.
     */
    List<String> feed(Buffer chunk) {
        pending.appendBuffer(chunk);
        List<String> events = new ArrayList<>(2);
        int length = pending.length();
        int start = 0;
        if (skipLineFeed && length > 0) {
            skipLineFeed = false;
            if (pending.getByte(0) == '\n') {
                start = 1;
            }
        }
        int i = start;
        while (i < length) {
            byte b = pending.getByte(i);
            if (b != '\n' && b != '\r') {
                i++;
                continue;
            }
            int afterLine = lineEnd(i, length);
            if (afterLine < 0 || afterLine >= length) {
                break; // wait for the next chunk to tell whether a CR is a CRLF, or whether a blank line follows
            }
            byte c = pending.getByte(afterLine);
            if (c != '\n' && c != '\r') {
                i = afterLine;
                continue;
            }
            // A blank line: the event from start to i is complete.
            int next = afterLine + 1;
            if (c == '\r') {
                if (next == length) {
                    skipLineFeed = true;
                } else if (pending.getByte(next) == '\n') {
                    next++;
                }
            }
            events.add(
                    pending.getString(start, i, "UTF-8").replace("\r\n", "\n").replace('\r', '\n'));
            start = next;
            i = next;
        }
        if (start > 0) {
            pending = pending.getBuffer(start, length);
        }
        if (pending.length() > MAX_EVENT_BYTES) {
            throw new IllegalStateException("an upstream event is larger than " + MAX_EVENT_BYTES + " bytes");
        }
        return events;
    }

    /** Where the line ending at {@code i} (a CR or LF) ends; -1 if a CR is the last byte so far (a CRLF, maybe). */
    private int lineEnd(int i, int length) {
        if (pending.getByte(i) == '\n') {
            return i + 1;
        }
        if (i + 1 == length) {
            return -1;
        }
        return pending.getByte(i + 1) == '\n' ? i + 2 : i + 1;
    }

    /** Whatever is left when the stream ends (an event without its blank line). */
    String rest() {
        String rest = pending.toString(StandardCharsets.UTF_8)
                .replace("\r\n", "\n")
                .replace('\r', '\n')
                .strip();
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
