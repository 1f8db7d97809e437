package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSE splitter: whole events, whatever the line endings and wherever the chunks split. */
class SseEventsTest {

    private static final List<String> EVENTS =
            List.of("data: {\"a\":\"h\u00e9\"}", "event: x\ndata: one\ndata: two", "data: [DONE]");

    private static List<String> split(byte[] bytes, List<Integer> cuts) {
        SseEvents events = new SseEvents();
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts.stream().sorted().toList()) {
            int to = Math.min(bytes.length, cut);
            if (to > from) {
                out.addAll(events.feed(Buffer.buffer(Arrays.copyOfRange(bytes, from, to))));
                from = to;
            }
        }
        out.addAll(events.feed(Buffer.buffer(Arrays.copyOfRange(bytes, from, bytes.length))));
        String rest = events.rest();
        if (!rest.isEmpty()) {
            out.add(rest);
        }
        return out;
    }

    private static byte[] stream(String newline) {
        StringBuilder text = new StringBuilder();
        for (String event : EVENTS) {
            text.append(event.replace("\n", newline)).append(newline).append(newline);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyLineEndingTheFormatAllowsEndsEventsAndLinesTheSame() {
        for (String newline : List.of("\n", "\r\n", "\r")) {
            assertEquals(EVENTS, split(stream(newline), List.of()), "line ending " + newline.replace("\r", "CR"));
        }
    }

    @Test
    void aBareCrEventIsPassedOnAtOnceNotHeldUntilTheStreamEnds() {
        SseEvents events = new SseEvents();
        assertEquals(List.of("data: a"), events.feed(Buffer.buffer("data: a\r\r")));
        // The LF of a CRLF that arrives in the next chunk does not make an empty event.
        assertEquals(List.of("data: b"), events.feed(Buffer.buffer("data: b\r\n\r")));
        assertEquals(List.of("data: c"), events.feed(Buffer.buffer("\ndata: c\r\n\r\n")));
        assertEquals("", events.rest());
    }

    @Test
    void chunksSplitAnywhereEvenInsideACharacterOrACrlfGiveTheSameEvents() {
        qt().withExamples(500)
                .forAll(
                        integers().between(0, 2),
                        lists().of(integers().between(0, 120)).ofSizeBetween(0, 12))
                .checkAssert((ending, cuts) -> {
                    String newline = List.of("\n", "\r\n", "\r").get(ending);
                    assertEquals(EVENTS, split(stream(newline), cuts), "cuts " + cuts);
                });
    }

    @Test
    void anEventWithoutItsBlankLineIsWhatIsLeftAtTheEnd() {
        SseEvents events = new SseEvents();
        assertEquals(List.of(), events.feed(Buffer.buffer("data: last")));
        assertEquals("data: last", events.rest());
        assertEquals("one\ntwo", SseEvents.data("event: x\ndata: one\ndata:two"));
    }
}
