package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A streamed chat completion as the Responses API's event stream, event by event as the chunks arrive: the opening
 * events ({@code response.created}, {@code response.in_progress}, the message item and its text part) with the
 * first chunk, one {@code response.output_text.delta} per chunk of text, and the closing events, ending with
 * {@code response.completed} (or {@code response.incomplete} for a cut-off answer) carrying the usage the chat
 * stream's last chunk reported. One per call, on its event loop.
 */
final class ResponsesStream {

    private final ObjectMapper json;
    private final ObjectNode request;
    private final int outputCap;
    private final StringBuilder text = new StringBuilder();
    private int sequence;
    private ObjectNode response;
    private String chatId = "chat";
    private String finishReason = "stop";
    private boolean finished;

    ResponsesStream(ObjectMapper json, ObjectNode request, int outputCap) {
        this.json = json;
        this.request = request;
        this.outputCap = outputCap;
    }

    /**
     * The Responses events one chat stream event stands for: none without data, the closing ones for
     * {@code [DONE]} (with the usage counted so far), else those of {@link #translate}.
     */
    List<String> events(String event, long inputSoFar, long outputSoFar) {
        String data = SseEvents.data(event);
        if (data == null) {
            return List.of();
        }
        return data.equals("[DONE]") ? finish(inputSoFar, outputSoFar) : translate(data);
    }

    /** The Responses events for one chat chunk's data (not {@code [DONE]}); none for the usage chunk. */
    List<String> translate(String data) {
        List<String> events = new ArrayList<>(4);
        JsonNode chunk;
        try {
            chunk = json.readTree(data);
        } catch (IOException e) {
            return events; // not JSON: nothing a Responses client could read
        }
        start(chunk, events);
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        String piece = delta.path("content").isTextual()
                ? delta.path("content").asText()
                : delta.path("refusal").asText("");
        if (!piece.isEmpty()) {
            text.append(piece);
            ObjectNode event = event("response.output_text.delta")
                    .put("item_id", "msg_" + chatId)
                    .put("output_index", 0)
                    .put("content_index", 0)
                    .put("delta", piece);
            event.putArray("logprobs");
            events.add(sse(event));
        }
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.path("finish_reason").asText();
        }
        return events;
    }

    boolean finished() {
        return finished;
    }

    /** The closing events, once: the text, the part and the item done, then the response with its usage. */
    List<String> finish(long inputTokens, long outputTokens) {
        List<String> events = new ArrayList<>(5);
        if (finished) {
            return events;
        }
        finished = true;
        start(json.createObjectNode(), events);
        String itemId = "msg_" + chatId;
        ObjectNode textDone = event("response.output_text.done")
                .put("item_id", itemId)
                .put("output_index", 0)
                .put("content_index", 0)
                .put("text", text.toString());
        textDone.putArray("logprobs");
        events.add(sse(textDone));
        ObjectNode partDone = event("response.content_part.done")
                .put("item_id", itemId)
                .put("output_index", 0)
                .put("content_index", 0);
        partDone.set("part", ResponsesTranslation.textPart(text.toString()));
        events.add(sse(partDone));
        ObjectNode item = ResponsesTranslation.message(chatId, text.toString(), "completed");
        ObjectNode itemDone = event("response.output_item.done").put("output_index", 0);
        itemDone.set("item", item);
        events.add(sse(itemDone));
        ResponsesTranslation.status(response, finishReason);
        response.withArray("output").add(item);
        response.set("usage", ResponsesTranslation.usage(inputTokens, outputTokens));
        String type =
                response.path("status").asText().equals("completed") ? "response.completed" : "response.incomplete";
        ObjectNode done = event(type);
        done.set("response", response);
        events.add(sse(done));
        return events;
    }

    private void start(JsonNode chunk, List<String> events) {
        if (response != null) {
            return;
        }
        chatId = chunk.path("id").asText(chatId);
        response = ResponsesTranslation.skeleton(
                chatId, chunk.path("created").asLong(0), chunk.path("model").asText(""), request, outputCap);
        ObjectNode created = event("response.created");
        created.set("response", response.deepCopy());
        events.add(sse(created));
        ObjectNode progress = event("response.in_progress");
        progress.set("response", response.deepCopy());
        events.add(sse(progress));
        ObjectNode item = ResponsesTranslation.message(chatId, "", "in_progress");
        item.putArray("content");
        ObjectNode added = event("response.output_item.added").put("output_index", 0);
        added.set("item", item);
        events.add(sse(added));
        ObjectNode part = event("response.content_part.added")
                .put("item_id", "msg_" + chatId)
                .put("output_index", 0)
                .put("content_index", 0);
        part.set("part", ResponsesTranslation.textPart(""));
        events.add(sse(part));
    }

    private ObjectNode event(String type) {
        return json.createObjectNode().put("type", type).put("sequence_number", sequence++);
    }

    /** One server-sent event as the Responses API writes it: its type as the event name, then its data. */
    private static String sse(ObjectNode event) {
        return "event: " + event.path("type").asText() + "\ndata: " + event + "\n\n";
    }
}
