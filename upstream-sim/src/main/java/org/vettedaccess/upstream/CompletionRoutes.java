package org.vettedaccess.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/** {@code POST /v1/chat/completions} and {@code POST /v1/completions}, plain and streamed, with the faults. */
@Singleton
class CompletionRoutes {

    /** The most sequences one request may ask for (n, best_of). */
    private static final int MAX_CHOICES = 16;
    /** What a refusing model says (the REFUSAL fault). */
    static final List<String> REFUSAL_WORDS = List.of("I'm", "sorry,", "but", "I", "can't", "help", "with", "that.");

    private final SimulatorConfig config;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Faults faults;
    private final Sent sent;
    private final Received received;

    CompletionRoutes(
            SimulatorConfig config, ObjectMapper json, Vertx vertx, Faults faults, Sent sent, Received received) {
        this.config = config;
        this.json = json;
        this.vertx = vertx;
        this.faults = faults;
        this.sent = sent;
        this.received = received;
    }

    void complete(RoutingContext ctx, Completion.Kind kind) {
        JsonNode request = SimHttp.parse(ctx, json);
        if (request == null || !SimHttp.knownModel(ctx, json, config.models(), request)) {
            return;
        }
        received.record(request.path("model").asText(), request);
        if (kind == Completion.Kind.CHAT && reasoning(request.path("model").asText()) && request.has("max_tokens")) {
            // As OpenAI answers a reasoning model sent the classic field.
            error(
                    ctx,
                    400,
                    "invalid_request_error",
                    "unsupported_parameter",
                    "Unsupported parameter: 'max_tokens' is not supported with this model. Use"
                            + " 'max_completion_tokens' instead.");
            return;
        }
        faults.traced(ctx.request().getHeader("traceparent"));
        Faults.Setting fault = faults.next(request.path("model").asText());
        if (fault.mode() == Faults.Mode.ERROR) {
            error(ctx, 503, "server_error", "overloaded", "The simulated model is failing on purpose.");
            return;
        }
        if (fault.mode() == Faults.Mode.SLOW && fault.delayMs() > 0) {
            vertx.setTimer(fault.delayMs(), t -> answer(ctx, kind, request, Faults.Mode.NONE, 0));
            return;
        }
        answer(ctx, kind, request, fault.mode(), fault.mode() == Faults.Mode.DRIP ? fault.delayMs() : 0);
    }

    private void answer(RoutingContext ctx, Completion.Kind kind, JsonNode request, Faults.Mode fault, long dripMs) {
        if (fault == Faults.Mode.DISCONNECT && !request.path("stream").asBoolean(false)) {
            ctx.request().connection().close();
            return;
        }
        boolean chat = kind == Completion.Kind.CHAT;
        String prompt = chat ? chatPrompt(request.path("messages")) : textPrompt(request.path("prompt"));
        if (prompt == null) {
            String field = chat ? "messages" : "prompt";
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
        int generated = chat ? n : Math.max(n, request.path("best_of").asInt(n));
        if (n < 1 || generated > MAX_CHOICES || (!chat && generated < n)) {
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
        // The legacy completions API has no refusal field: a refusal there is a filtered answer.
        boolean refusal = fault == Faults.Mode.REFUSAL && chat;
        if (fault == Faults.Mode.CONTENT_FILTER || (fault == Faults.Mode.REFUSAL && !chat)) {
            length = Math.max(1, length / 2);
            finishReason = "content_filter";
        } else if (refusal) {
            finishReason = "stop";
        }
        List<List<String>> choices = new ArrayList<>(n);
        int candidateTokens = 0;
        for (int i = 0; i < generated; i++) {
            List<String> words = refusal
                    ? REFUSAL_WORDS.subList(0, Math.min(cap, REFUSAL_WORDS.size()))
                    : SimulatedModel.reply(model, prompt, length, i);
            candidateTokens += words.size();
            if (i < n) {
                choices.add(words);
            }
        }
        Completion completion = new Completion(
                json,
                kind,
                (chat ? "chatcmpl-sim-" : "cmpl-sim-") + UUID.randomUUID(),
                model,
                Instant.now().getEpochSecond(),
                SimulatedModel.countTokens(prompt),
                choices,
                candidateTokens,
                finishReason,
                refusal);
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
            SimHttp.send(ctx, 200, completion.whole());
        }
    }

    /**
     * The output cap as the real servers read it: on chat {@code max_completion_tokens}, else {@code max_tokens}
     * (vLLM: {@code max_completion_tokens or max_tokens}); on /v1/completions {@code max_tokens} only (vLLM, Ollama
     * and OpenAI have no other field there, and ignore {@code max_completion_tokens}). Null when none is set.
     */
    private Integer maxTokens(Completion.Kind kind, JsonNode request) {
        JsonNode field = kind == Completion.Kind.CHAT && request.hasNonNull("max_completion_tokens")
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
        List<Completion.Chunk> all = completion.chunks(includeUsage);
        if (fault == Faults.Mode.DISCONNECT || fault == Faults.Mode.STALL) {
            // A model server dying (or hanging) mid-answer: two chunks, then the end of the connection (or silence).
            for (Completion.Chunk chunk : all.subList(0, 2)) {
                counter.sent(chunk.token());
                response.write("data: " + chunk.body() + "\n\n");
            }
            if (fault == Faults.Mode.DISCONNECT) {
                vertx.setTimer(20, t -> ctx.request().connection().close());
            }
            return;
        }
        Iterator<Completion.Chunk> chunks = all.iterator();
        long firstDelay = config.firstTokenDelay().toMillis();
        long gap = dripMs > 0 ? dripMs : config.interTokenDelay().toMillis();
        if (firstDelay > 0) {
            vertx.setTimer(firstDelay, t -> emit(response, chunks, gap, counter));
        } else {
            emit(response, chunks, gap, counter);
        }
    }

    private void emit(HttpServerResponse response, Iterator<Completion.Chunk> chunks, long gap, Sent.Counter counter) {
        while (!response.closed()) {
            if (!chunks.hasNext()) {
                response.end("data: [DONE]\n\n");
                return;
            }
            Completion.Chunk chunk = chunks.next();
            counter.sent(chunk.token());
            response.write("data: " + chunk.body().toString() + "\n\n");
            if (gap > 0) {
                vertx.setTimer(gap, t -> emit(response, chunks, gap, counter));
                return;
            }
        }
    }

    /** A model the simulator treats as a reasoning model (its id names it so), refusing max_tokens on chat. */
    static boolean reasoning(String model) {
        return model.contains("reasoning");
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
        SimHttp.error(ctx, json, status, type, code, message);
    }
}
