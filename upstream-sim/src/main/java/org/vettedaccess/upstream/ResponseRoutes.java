package org.vettedaccess.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /v1/responses}, plain and streamed, as OpenAI's Responses API answers: the same deterministic words
 * and counts as the chat endpoint for the same prompt (instructions and input texts), the usage as
 * {@code input_tokens} and {@code output_tokens}, and {@code store} honoured only as false (the simulator stores
 * nothing, so {@code store: true} or a {@code previous_response_id} is a 400).
 */
@Singleton
class ResponseRoutes {

    private final SimulatorConfig config;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Faults faults;
    private final Sent sent;
    private final Received received;

    ResponseRoutes(
            SimulatorConfig config, ObjectMapper json, Vertx vertx, Faults faults, Sent sent, Received received) {
        this.config = config;
        this.json = json;
        this.vertx = vertx;
        this.faults = faults;
        this.sent = sent;
        this.received = received;
    }

    void respond(RoutingContext ctx) {
        JsonNode request = SimHttp.parse(ctx, json);
        if (request == null || !SimHttp.knownModel(ctx, json, config.models(), request)) {
            return;
        }
        String model = request.path("model").asText();
        received.record(model, request);
        faults.traced(ctx.request().getHeader("traceparent"));
        for (String field : List.of("max_tokens", "max_completion_tokens")) {
            if (request.has(field)) {
                error(ctx, "Unsupported parameter: '" + field + "'. In the Responses API use 'max_output_tokens'.");
                return;
            }
        }
        if (request.path("store").asBoolean(true) || request.hasNonNull("previous_response_id")) {
            // OpenAI stores unless told not to; this server cannot, so it says so rather than pretend.
            error(ctx, "The simulator stores no responses: send 'store: false' and no 'previous_response_id'.");
            return;
        }
        String prompt = prompt(request);
        if (prompt == null) {
            error(ctx, "'input' is missing or malformed.");
            return;
        }
        JsonNode cap = request.get("max_output_tokens");
        if (cap != null
                && !cap.isNull()
                && (!cap.canConvertToInt() || cap.asInt() < 1 || cap.asInt() > config.maxModelTokens())) {
            error(ctx, "'max_output_tokens' must be between 1 and " + config.maxModelTokens() + ".");
            return;
        }
        int limit = cap == null || cap.isNull() ? config.defaultReplyTokens() : cap.asInt();
        List<String> words = SimulatedModel.reply(model, prompt, Math.min(limit, config.defaultReplyTokens()), 0);
        boolean cut = limit < config.defaultReplyTokens();
        int promptTokens = SimulatedModel.countTokens(prompt);
        String id = UUID.randomUUID().toString();
        Sent.Counter counter = sent.request(model, promptTokens);
        ObjectNode response = response(id, model, request);
        if (!request.path("stream").asBoolean(false)) {
            counter.completion(words.size());
            finish(response, id, String.join(" ", words), cut, promptTokens, words.size());
            SimHttp.send(ctx, 200, response);
            return;
        }
        stream(ctx, response, id, words, cut, promptTokens, counter);
    }

    private void stream(
            RoutingContext ctx,
            ObjectNode response,
            String id,
            List<String> words,
            boolean cut,
            int promptTokens,
            Sent.Counter counter) {
        HttpServerResponse out = ctx.response()
                .setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        List<ObjectNode> events = new ArrayList<>();
        events.add(event("response.created").set("response", response.deepCopy()));
        events.add(event("response.in_progress").set("response", response.deepCopy()));
        ObjectNode item = message(id, "", "in_progress");
        events.add(event("response.output_item.added").put("output_index", 0).set("item", item));
        events.add(textEvent("response.content_part.added", id).set("part", part("")));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            String piece = (i == 0 ? "" : " ") + words.get(i);
            text.append(piece);
            ObjectNode delta = textEvent("response.output_text.delta", id).put("delta", piece);
            delta.putArray("logprobs");
            events.add(delta);
        }
        ObjectNode textDone = textEvent("response.output_text.done", id).put("text", text.toString());
        textDone.putArray("logprobs");
        events.add(textDone);
        events.add(textEvent("response.content_part.done", id).set("part", part(text.toString())));
        events.add(event("response.output_item.done")
                .put("output_index", 0)
                .set("item", message(id, text.toString(), "completed")));
        finish(response, id, text.toString(), cut, promptTokens, words.size());
        events.add(event(cut ? "response.incomplete" : "response.completed").set("response", response));
        for (int i = 0; i < events.size(); i++) {
            events.get(i).put("sequence_number", i);
        }
        Iterator<ObjectNode> next = events.iterator();
        long gap = config.interTokenDelay().toMillis();
        long first = config.firstTokenDelay().toMillis();
        if (first > 0) {
            vertx.setTimer(first, t -> emit(out, next, gap, counter));
        } else {
            emit(out, next, gap, counter);
        }
    }

    private void emit(HttpServerResponse out, Iterator<ObjectNode> events, long gap, Sent.Counter counter) {
        while (!out.closed()) {
            if (!events.hasNext()) {
                out.end();
                return;
            }
            ObjectNode event = events.next();
            String type = event.path("type").asText();
            counter.sent(type.equals("response.output_text.delta"));
            out.write("event: " + type + "\ndata: " + event + "\n\n");
            if (gap > 0 && type.equals("response.output_text.delta")) {
                vertx.setTimer(gap, t -> emit(out, events, gap, counter));
                return;
            }
        }
    }

    private ObjectNode response(String id, String model, JsonNode request) {
        ObjectNode response = json.createObjectNode()
                .put("id", "resp_sim_" + id)
                .put("object", "response")
                .put("created_at", Instant.now().getEpochSecond())
                .put("status", "in_progress");
        response.putNull("error");
        response.putNull("incomplete_details");
        response.set("instructions", request.path("instructions").isTextual() ? request.get("instructions") : null);
        response.set("max_output_tokens", request.get("max_output_tokens"));
        response.putObject("metadata");
        response.put("model", model);
        response.putArray("output");
        response.put("parallel_tool_calls", true);
        response.putNull("previous_response_id");
        response.put("store", false);
        response.set(
                "temperature",
                request.hasNonNull("temperature")
                        ? request.get("temperature")
                        : json.getNodeFactory().numberNode(1.0));
        response.putObject("text").putObject("format").put("type", "text");
        response.put("tool_choice", "auto");
        response.putArray("tools");
        response.set(
                "top_p",
                request.hasNonNull("top_p")
                        ? request.get("top_p")
                        : json.getNodeFactory().numberNode(1.0));
        response.put("truncation", "disabled");
        response.putNull("usage");
        return response;
    }

    private void finish(ObjectNode response, String id, String text, boolean cut, int input, int output) {
        response.put("status", cut ? "incomplete" : "completed");
        if (cut) {
            response.putObject("incomplete_details").put("reason", "max_output_tokens");
        }
        response.withArray("output").removeAll().add(message(id, text, "completed"));
        ObjectNode usage = response.putObject("usage").put("input_tokens", input);
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", output);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", input + output);
    }

    private ObjectNode message(String id, String text, String status) {
        ObjectNode item = json.createObjectNode()
                .put("id", "msg_sim_" + id)
                .put("type", "message")
                .put("status", status)
                .put("role", "assistant");
        if (status.equals("completed")) {
            item.putArray("content").add(part(text));
        } else {
            item.putArray("content");
        }
        return item;
    }

    private ObjectNode part(String text) {
        ObjectNode part = json.createObjectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    private ObjectNode event(String type) {
        return json.createObjectNode().put("type", type);
    }

    private ObjectNode textEvent(String type, String id) {
        return event(type)
                .put("item_id", "msg_sim_" + id)
                .put("output_index", 0)
                .put("content_index", 0);
    }

    /** The prompt as the chat endpoint would see it: the instructions, then every text of the input, a line each. */
    static String prompt(JsonNode request) {
        StringBuilder prompt = new StringBuilder();
        if (request.path("instructions").isTextual()) {
            prompt.append(request.get("instructions").asText()).append('\n');
        }
        JsonNode input = request.path("input");
        if (input.isTextual()) {
            return prompt.append(input.asText()).append('\n').toString();
        }
        if (!input.isArray() || input.isEmpty()) {
            return null;
        }
        for (JsonNode item : input) {
            JsonNode content = item.path("content");
            if (content.isTextual()) {
                prompt.append(content.asText()).append('\n');
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    prompt.append(part.path("text").asText("")).append('\n');
                }
            } else {
                return null;
            }
        }
        return prompt.toString();
    }

    private void error(RoutingContext ctx, String message) {
        SimHttp.error(ctx, json, 400, "invalid_request_error", "invalid_value", message);
    }
}
