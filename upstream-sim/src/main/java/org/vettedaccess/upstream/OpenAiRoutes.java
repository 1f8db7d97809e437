package org.vettedaccess.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * The OpenAI-compatible HTTP surface of the simulator, on plain Vert.x routes so that it is cheap enough to
 * serve as the fast baseline in benchmarks.
 */
@ApplicationScoped
public class OpenAiRoutes {

    private static final long MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final String OWNER = "simulated-lab";

    private final SimulatorConfig config;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Faults faults = new Faults();

    public OpenAiRoutes(SimulatorConfig config, ObjectMapper json, Vertx vertx) {
        this.config = config;
        this.json = json;
        this.vertx = vertx;
    }

    void register(@Observes Router router) {
        router.route("/v1/*").handler(this::authorize);
        router.get("/v1/models").handler(this::models);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.post("/v1/chat/completions").handler(body).handler(ctx -> complete(ctx, Kind.CHAT));
        router.post("/v1/completions").handler(body).handler(ctx -> complete(ctx, Kind.TEXT));
        router.post("/v1/embeddings").handler(body).handler(this::embeddings);
        router.post("/sim/faults").handler(body).handler(this::setFaults);
        router.get("/sim/stats").handler(this::stats);
    }

    /** {@code POST /sim/faults {"mode": "ERROR", "count": 3, "delayMs": 0}}: fail the next completions. */
    private void setFaults(RoutingContext ctx) {
        JsonNode request = parse(ctx);
        if (request == null) {
            return;
        }
        Faults.Mode mode;
        try {
            mode = Faults.Mode.valueOf(request.path("mode").asText("NONE").toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "invalid_request_error", "invalid_value", "'mode' is not a known fault.");
            return;
        }
        faults.set(new Faults.Setting(
                mode, request.path("count").asInt(-1), request.path("delayMs").asLong(0)));
        stats(ctx);
    }

    /** {@code GET /sim/stats}: how many completion requests arrived, streams open, and the current fault. */
    private void stats(RoutingContext ctx) {
        Faults.Setting current = faults.current();
        ObjectNode body = json.createObjectNode()
                .put("completions", faults.completions())
                .put("openStreams", faults.openStreams().get())
                .put("fault", current.mode().name())
                .put("lastTraceparent", faults.lastTraceparent())
                .put("remaining", current.remaining());
        send(ctx, 200, body);
    }

    private void authorize(RoutingContext ctx) {
        if (config.requiredApiKey().isEmpty()
                || ("Bearer " + config.requiredApiKey().get())
                        .equals(ctx.request().getHeader("Authorization"))) {
            ctx.next();
        } else {
            error(ctx, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
        }
    }

    private void models(RoutingContext ctx) {
        ObjectNode list = json.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String model : config.models()) {
            if (model.endsWith("*")) {
                continue;
            }
            data.addObject()
                    .put("id", model)
                    .put("object", "model")
                    .put("created", 1_700_000_000L)
                    .put("owned_by", OWNER);
        }
        send(ctx, 200, list);
    }

    private enum Kind {
        CHAT,
        TEXT
    }

    private void complete(RoutingContext ctx, Kind kind) {
        JsonNode request = parse(ctx);
        if (request == null || !knownModel(ctx, request)) {
            return;
        }
        faults.traced(ctx.request().getHeader("traceparent"));
        Faults.Setting fault = faults.next();
        if (fault.mode() == Faults.Mode.ERROR) {
            error(ctx, 503, "server_error", "overloaded", "The simulated model is failing on purpose.");
            return;
        }
        if (fault.mode() == Faults.Mode.SLOW && fault.delayMs() > 0) {
            vertx.setTimer(fault.delayMs(), t -> answer(ctx, kind, request, Faults.Mode.NONE));
            return;
        }
        answer(ctx, kind, request, fault.mode(), fault.mode() == Faults.Mode.DRIP ? fault.delayMs() : 0);
    }

    private void answer(RoutingContext ctx, Kind kind, JsonNode request, Faults.Mode fault) {
        answer(ctx, kind, request, fault, 0);
    }

    private void answer(RoutingContext ctx, Kind kind, JsonNode request, Faults.Mode fault, long dripMs) {
        if (fault == Faults.Mode.DISCONNECT && !request.path("stream").asBoolean(false)) {
            ctx.request().connection().close();
            return;
        }
        String prompt = kind == Kind.CHAT ? chatPrompt(request.path("messages")) : textPrompt(request.path("prompt"));
        if (prompt == null) {
            String field = kind == Kind.CHAT ? "messages" : "prompt";
            error(ctx, 400, "invalid_request_error", "invalid_value", "'" + field + "' is missing or malformed.");
            return;
        }
        int maxTokens = request.has("max_completion_tokens")
                ? request.path("max_completion_tokens").asInt(-1)
                : request.path("max_tokens").asInt(config.defaultReplyTokens());
        if (maxTokens < 1) {
            error(ctx, 400, "invalid_request_error", "invalid_value", "'max_tokens' must be a positive integer.");
            return;
        }
        String model = request.path("model").asText();
        int length = Math.min(maxTokens, config.defaultReplyTokens());
        String finishReason = maxTokens < config.defaultReplyTokens() ? "length" : "stop";
        List<String> words = SimulatedModel.reply(model, prompt, length);
        Completion completion = new Completion(
                kind,
                (kind == Kind.CHAT ? "chatcmpl-sim-" : "cmpl-sim-") + UUID.randomUUID(),
                model,
                Instant.now().getEpochSecond(),
                SimulatedModel.countTokens(prompt),
                words,
                finishReason);
        if (request.path("stream").asBoolean(false)) {
            stream(
                    ctx,
                    completion,
                    request.path("stream_options").path("include_usage").asBoolean(false),
                    fault,
                    dripMs);
        } else {
            send(ctx, 200, completion.whole());
        }
    }

    /** One completion, rendered either whole or as stream chunks in the OpenAI wire format. */
    private final class Completion {
        private final Kind kind;
        private final String id;
        private final String model;
        private final long created;
        private final int promptTokens;
        private final List<String> words;
        private final String finishReason;

        Completion(
                Kind kind,
                String id,
                String model,
                long created,
                int promptTokens,
                List<String> words,
                String finishReason) {
            this.kind = kind;
            this.id = id;
            this.model = model;
            this.created = created;
            this.promptTokens = promptTokens;
            this.words = words;
            this.finishReason = finishReason;
        }

        ObjectNode whole() {
            ObjectNode body = envelope(kind == Kind.CHAT ? "chat.completion" : "text_completion");
            ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
            String text = String.join(" ", words);
            if (kind == Kind.CHAT) {
                choice.putObject("message").put("role", "assistant").put("content", text);
            } else {
                choice.put("text", text);
            }
            choice.putNull("logprobs").put("finish_reason", finishReason);
            usage(body);
            return body;
        }

        List<ObjectNode> chunks(boolean includeUsage) {
            List<ObjectNode> chunks = new ArrayList<>(words.size() + 3);
            if (kind == Kind.CHAT) {
                chunks.add(chunk(delta -> delta.put("role", "assistant").put("content", ""), null));
            }
            for (int i = 0; i < words.size(); i++) {
                String piece = (i == 0 ? "" : " ") + words.get(i);
                chunks.add(chunk(delta -> delta.put(kind == Kind.CHAT ? "content" : "text", piece), null));
            }
            chunks.add(chunk(delta -> {}, finishReason));
            if (includeUsage) {
                ObjectNode last = envelope(chunkObject());
                last.putArray("choices");
                usage(last);
                chunks.add(last);
            }
            return chunks;
        }

        private ObjectNode chunk(java.util.function.Consumer<ObjectNode> content, String finish) {
            ObjectNode body = envelope(chunkObject());
            ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
            if (kind == Kind.CHAT) {
                content.accept(choice.putObject("delta"));
            } else {
                choice.put("text", "");
                content.accept(choice);
            }
            choice.putNull("logprobs");
            if (finish == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finish);
            }
            return body;
        }

        private String chunkObject() {
            return kind == Kind.CHAT ? "chat.completion.chunk" : "text_completion";
        }

        private ObjectNode envelope(String object) {
            return json.createObjectNode()
                    .put("id", id)
                    .put("object", object)
                    .put("created", created)
                    .put("model", model)
                    .put("system_fingerprint", "simulated");
        }

        private void usage(ObjectNode body) {
            body.putObject("usage")
                    .put("prompt_tokens", promptTokens)
                    .put("completion_tokens", words.size())
                    .put("total_tokens", promptTokens + words.size());
        }
    }

    private void stream(
            RoutingContext ctx, Completion completion, boolean includeUsage, Faults.Mode fault, long dripMs) {
        faults.openStreams().incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable closed = () -> {
            if (counted.compareAndSet(true, false)) {
                faults.openStreams().decrementAndGet();
            }
        };
        ctx.response().endHandler(v -> closed.run());
        ctx.response().closeHandler(v -> closed.run());
        HttpServerResponse response = ctx.response()
                .setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        List<ObjectNode> all = completion.chunks(includeUsage);
        if (fault == Faults.Mode.DISCONNECT || fault == Faults.Mode.STALL) {
            // A model server dying (or hanging) mid-answer: two chunks, then the end of the connection (or silence).
            response.write("data: " + all.get(0) + "\n\n");
            response.write("data: " + all.get(1) + "\n\n");
            if (fault == Faults.Mode.DISCONNECT) {
                vertx.setTimer(20, t -> ctx.request().connection().close());
            }
            return;
        }
        Iterator<ObjectNode> chunks = all.iterator();
        long firstDelay = config.firstTokenDelay().toMillis();
        long gap = dripMs > 0 ? dripMs : config.interTokenDelay().toMillis();
        if (firstDelay > 0) {
            vertx.setTimer(firstDelay, t -> emit(response, chunks, gap));
        } else {
            emit(response, chunks, gap);
        }
    }

    private void emit(HttpServerResponse response, Iterator<ObjectNode> chunks, long gap) {
        while (!response.closed()) {
            if (!chunks.hasNext()) {
                response.end("data: [DONE]\n\n");
                return;
            }
            response.write("data: " + chunks.next().toString() + "\n\n");
            if (gap > 0) {
                vertx.setTimer(gap, t -> emit(response, chunks, gap));
                return;
            }
        }
    }

    private void embeddings(RoutingContext ctx) {
        JsonNode request = parse(ctx);
        if (request == null || !knownModel(ctx, request)) {
            return;
        }
        List<String> inputs = new ArrayList<>();
        JsonNode input = request.path("input");
        if (input.isTextual()) {
            inputs.add(input.asText());
        } else if (input.isArray() && !input.isEmpty()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    error(ctx, 400, "invalid_request_error", "invalid_value", "'input' must be strings.");
                    return;
                }
                inputs.add(item.asText());
            }
        } else {
            error(ctx, 400, "invalid_request_error", "invalid_value", "'input' is missing or malformed.");
            return;
        }
        ObjectNode body = json.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ArrayNode vector =
                    data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (double value : SimulatedModel.embed(inputs.get(i), config.embeddingDimensions())) {
                vector.add(value);
            }
            tokens += SimulatedModel.countTokens(inputs.get(i));
        }
        body.put("model", request.path("model").asText());
        body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        send(ctx, 200, body);
    }

    private JsonNode parse(RoutingContext ctx) {
        try {
            JsonNode request = ctx.body().buffer() == null
                    ? null
                    : json.readTree(ctx.body().buffer().getBytes());
            if (request != null && request.isObject()) {
                return request;
            }
        } catch (IOException e) {
            // answered below
        }
        error(ctx, 400, "invalid_request_error", "invalid_json", "The request body is not a JSON object.");
        return null;
    }

    private boolean knownModel(RoutingContext ctx, JsonNode request) {
        String model = request.path("model").asText("");
        if (model.isEmpty()) {
            error(ctx, 400, "invalid_request_error", "missing_model", "'model' is required.");
            return false;
        }
        if (!config.models().contains(model)
                && config.models().stream()
                        .noneMatch(known ->
                                known.endsWith("*") && model.startsWith(known.substring(0, known.length() - 1)))) {
            error(ctx, 404, "invalid_request_error", "model_not_found", "The model '" + model + "' does not exist.");
            return false;
        }
        return true;
    }

    private static String chatPrompt(JsonNode messages) {
        if (!messages.isArray() || messages.isEmpty()) {
            return null;
        }
        StringBuilder prompt = new StringBuilder();
        for (JsonNode message : messages) {
            JsonNode content = message.path("content");
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

    private static String textPrompt(JsonNode prompt) {
        if (prompt.isTextual()) {
            return prompt.asText();
        }
        if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isTextual()) {
            return prompt.get(0).asText();
        }
        return null;
    }

    private void error(RoutingContext ctx, int status, String type, String code, String message) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error")
                .put("message", message)
                .put("type", type)
                .putNull("param")
                .put("code", code);
        send(ctx, status, body);
    }

    private static void send(RoutingContext ctx, int status, JsonNode body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.toString());
    }
}
