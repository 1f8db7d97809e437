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
    /** The most sequences one request may ask for (n, best_of). */
    private static final int MAX_CHOICES = 16;

    private final SimulatorConfig config;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Faults faults = new Faults();
    private final Sent sent = new Sent();

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
        router.get("/sim/usage").handler(this::usage);
    }

    /**
     * {@code GET /sim/usage?model=m}: the tokens the simulator has generated and sent for model {@code m} (all
     * models without it), counted as they go out, so a test can measure what got past a gateway's limits.
     */
    private void usage(RoutingContext ctx) {
        String model = ctx.request().getParam("model");
        Sent.Counts counts = model == null ? sent.total() : sent.of(model);
        ObjectNode body = json.createObjectNode()
                .put("requests", counts.requests())
                .put("promptTokens", counts.promptTokens())
                .put("completionTokens", counts.completionTokens());
        if (model != null) {
            body.put("model", model);
        }
        send(ctx, 200, body);
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
                .put("remaining", current.remaining())
                .put("completionTokens", sent.total().completionTokens());
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
        Integer maxTokens;
        try {
            maxTokens = maxTokens(kind, request);
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "invalid_request_error", "invalid_value", e.getMessage());
            return;
        }
        int n = request.path("n").asInt(1);
        // best_of (completions): that many candidates are generated and billed, the best n returned.
        int generated = kind == Kind.TEXT ? Math.max(n, request.path("best_of").asInt(n)) : n;
        if (n < 1 || generated > MAX_CHOICES || (kind == Kind.TEXT && generated < n)) {
            error(
                    ctx,
                    400,
                    "invalid_request_error",
                    "invalid_value",
                    "'n' and 'best_of' must be between 1 and " + MAX_CHOICES + ", best_of at least n.");
            return;
        }
        String model = request.path("model").asText();
        int cap = maxTokens == null ? config.defaultReplyTokens() : maxTokens;
        // A model stops on its own after a short reply, unless told to ignore its end-of-sequence token (a vLLM
        // sampling parameter), when it writes exactly up to the cap, as a model that never stops would.
        boolean ignoreEos = request.path("ignore_eos").asBoolean(false);
        int length = ignoreEos ? cap : Math.min(cap, config.defaultReplyTokens());
        String finishReason = ignoreEos || cap < config.defaultReplyTokens() ? "length" : "stop";
        List<List<String>> choices = new ArrayList<>(n);
        int candidateTokens = 0;
        for (int i = 0; i < generated; i++) {
            List<String> words = SimulatedModel.reply(model, prompt, length, i);
            candidateTokens += words.size();
            if (i < n) {
                choices.add(words);
            }
        }
        Completion completion = new Completion(
                kind,
                (kind == Kind.CHAT ? "chatcmpl-sim-" : "cmpl-sim-") + UUID.randomUUID(),
                model,
                Instant.now().getEpochSecond(),
                SimulatedModel.countTokens(prompt),
                choices,
                candidateTokens,
                finishReason);
        Sent.Counter counter = sent.request(model, completion.promptTokens);
        if (request.path("stream").asBoolean(false)) {
            // The candidates best_of discards are generated before the first chunk.
            counter.completion(candidateTokens - completion.returnedTokens());
            stream(
                    ctx,
                    completion,
                    request.path("stream_options").path("include_usage").asBoolean(false),
                    fault,
                    dripMs,
                    counter);
        } else {
            counter.completion(candidateTokens);
            send(ctx, 200, completion.whole());
        }
    }

    /**
     * The output cap as the real servers read it: on chat {@code max_completion_tokens}, else {@code max_tokens}
     * (vLLM: {@code max_completion_tokens or max_tokens}); on /v1/completions {@code max_tokens} only (vLLM, Ollama
     * and OpenAI have no other field there, and ignore {@code max_completion_tokens}). Null when none is set.
     */
    private Integer maxTokens(Kind kind, JsonNode request) {
        JsonNode field = kind == Kind.CHAT && request.hasNonNull("max_completion_tokens")
                ? request.get("max_completion_tokens")
                : request.get("max_tokens");
        if (field == null || field.isNull()) {
            return null;
        }
        if (!field.canConvertToInt() || field.asInt() < 1) {
            throw new IllegalArgumentException("'max_tokens' must be a positive integer.");
        }
        if (field.asInt() > config.maxModelTokens()) {
            throw new IllegalArgumentException(
                    "'max_tokens' is more than this model's maximum of " + config.maxModelTokens() + " tokens.");
        }
        return field.asInt();
    }

    /** One completion (n choices), rendered either whole or as stream chunks in the OpenAI wire format. */
    private final class Completion {
        private final Kind kind;
        private final String id;
        private final String model;
        private final long created;
        private final int promptTokens;
        private final List<List<String>> choices;
        /** Every token generated, the candidates best_of discarded too: what usage bills. */
        private final int completionTokens;

        private final String finishReason;

        Completion(
                Kind kind,
                String id,
                String model,
                long created,
                int promptTokens,
                List<List<String>> choices,
                int completionTokens,
                String finishReason) {
            this.kind = kind;
            this.id = id;
            this.model = model;
            this.created = created;
            this.promptTokens = promptTokens;
            this.choices = choices;
            this.completionTokens = completionTokens;
            this.finishReason = finishReason;
        }

        int returnedTokens() {
            return choices.stream().mapToInt(List::size).sum();
        }

        ObjectNode whole() {
            ObjectNode body = envelope(kind == Kind.CHAT ? "chat.completion" : "text_completion");
            ArrayNode array = body.putArray("choices");
            for (int index = 0; index < choices.size(); index++) {
                ObjectNode choice = array.addObject().put("index", index);
                String text = String.join(" ", choices.get(index));
                if (kind == Kind.CHAT) {
                    choice.putObject("message").put("role", "assistant").put("content", text);
                } else {
                    choice.put("text", text);
                }
                choice.putNull("logprobs").put("finish_reason", finishReason);
            }
            usage(body);
            return body;
        }

        /** The chunks in order; a content chunk (one token of one choice) is flagged so that it is counted as sent. */
        List<Chunk> chunks(boolean includeUsage) {
            List<Chunk> chunks = new ArrayList<>(returnedTokens() + 3 * choices.size() + 1);
            if (kind == Kind.CHAT) {
                for (int index = 0; index < choices.size(); index++) {
                    chunks.add(new Chunk(
                            chunk(index, delta -> delta.put("role", "assistant").put("content", ""), null), false));
                }
            }
            int longest = choices.stream().mapToInt(List::size).max().orElse(0);
            for (int i = 0; i < longest; i++) {
                for (int index = 0; index < choices.size(); index++) {
                    List<String> words = choices.get(index);
                    if (i < words.size()) {
                        String piece = (i == 0 ? "" : " ") + words.get(i);
                        chunks.add(new Chunk(
                                chunk(index, delta -> delta.put(kind == Kind.CHAT ? "content" : "text", piece), null),
                                true));
                    }
                }
            }
            for (int index = 0; index < choices.size(); index++) {
                chunks.add(new Chunk(chunk(index, delta -> {}, finishReason), false));
            }
            if (includeUsage) {
                ObjectNode last = envelope(chunkObject());
                last.putArray("choices");
                usage(last);
                chunks.add(new Chunk(last, false));
            }
            return chunks;
        }

        private ObjectNode chunk(int index, java.util.function.Consumer<ObjectNode> content, String finish) {
            ObjectNode body = envelope(chunkObject());
            ObjectNode choice = body.putArray("choices").addObject().put("index", index);
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
                    .put("completion_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens);
        }
    }

    /** One stream chunk, and whether it carries a generated token. */
    private record Chunk(ObjectNode body, boolean token) {}

    private void stream(
            RoutingContext ctx,
            Completion completion,
            boolean includeUsage,
            Faults.Mode fault,
            long dripMs,
            Sent.Counter counter) {
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
        List<Chunk> all = completion.chunks(includeUsage);
        if (fault == Faults.Mode.DISCONNECT || fault == Faults.Mode.STALL) {
            // A model server dying (or hanging) mid-answer: two chunks, then the end of the connection (or silence).
            for (Chunk chunk : all.subList(0, 2)) {
                counter.sent(chunk.token());
                response.write("data: " + chunk.body() + "\n\n");
            }
            if (fault == Faults.Mode.DISCONNECT) {
                vertx.setTimer(20, t -> ctx.request().connection().close());
            }
            return;
        }
        Iterator<Chunk> chunks = all.iterator();
        long firstDelay = config.firstTokenDelay().toMillis();
        long gap = dripMs > 0 ? dripMs : config.interTokenDelay().toMillis();
        if (firstDelay > 0) {
            vertx.setTimer(firstDelay, t -> emit(response, chunks, gap, counter));
        } else {
            emit(response, chunks, gap, counter);
        }
    }

    private void emit(HttpServerResponse response, Iterator<Chunk> chunks, long gap, Sent.Counter counter) {
        while (!response.closed()) {
            if (!chunks.hasNext()) {
                response.end("data: [DONE]\n\n");
                return;
            }
            Chunk chunk = chunks.next();
            counter.sent(chunk.token());
            response.write("data: " + chunk.body().toString() + "\n\n");
            if (gap > 0) {
                vertx.setTimer(gap, t -> emit(response, chunks, gap, counter));
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
