package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One /v1 request body, checked before anything else happens: a malformed body is a 400 in the OpenAI envelope
 * naming the field, never a 500, and never reaches access-policy or the upstream.
 */
final class ModelCall {

    private static final int MAX_MODEL_LENGTH = 256;
    private static final int MAX_CHOICES = 8;
    /** Deeper nesting than any real request has; bounds the parser's work on hostile input. */
    private static final int MAX_DEPTH = 64;

    final Endpoint endpoint;
    final ObjectNode body;
    final byte[] raw;
    final String model;
    /** max_tokens or max_completion_tokens as sent (equal if both were); null if neither was. */
    final Integer requestedMaxTokens;
    /** Whether the caller named max_completion_tokens, or max_tokens, with a value. */
    private final boolean sentMaxCompletionTokens;

    private final boolean sentMaxTokens;

    /**
     * How many sequences the upstream generates, each up to the output cap: {@code n}, or {@code best_of} when it
     * is larger (the server generates best_of candidates and returns the best n; all of them are billed).
     */
    final int choices;

    final boolean stream;
    /** Whether the caller itself asked for the usage chunk of a stream. */
    final boolean callerWantsStreamUsage;
    /** A conservative estimate of the prompt's tokens, settled on the upstream's usage afterwards. */
    final long inputTokenEstimate;

    private ModelCall(Endpoint endpoint, ObjectNode body, byte[] raw) {
        this.endpoint = endpoint;
        this.body = body;
        this.raw = raw;
        this.model = text(body, "model");
        if (model.length() > MAX_MODEL_LENGTH) {
            throw OpenAiError.invalid("model", "'model' is too long.");
        }
        String prompt = switch (endpoint) {
            case CHAT -> messages(body.get("messages"));
            case COMPLETIONS -> texts(body.get("prompt"), "prompt");
            case EMBEDDINGS -> texts(body.get("input"), "input");
            case RESPONSES -> ResponsesTranslation.prompt(body);
        };
        this.inputTokenEstimate = Math.max(1, (prompt.getBytes(StandardCharsets.UTF_8).length + 3) / 4);
        if (endpoint == Endpoint.RESPONSES) {
            for (String field : List.of("max_tokens", "max_completion_tokens")) {
                if (body.has(field)) {
                    throw OpenAiError.invalid(
                            field, "'" + field + "' is not a Responses API field; use 'max_output_tokens'.");
                }
            }
        }
        Integer maxTokens = positiveInt(body, endpoint == Endpoint.RESPONSES ? "max_output_tokens" : "max_tokens");
        Integer maxCompletion = positiveInt(body, "max_completion_tokens");
        if (maxTokens != null && maxCompletion != null && !maxTokens.equals(maxCompletion)) {
            // Servers read different ones (vLLM and Ollama read max_tokens on /v1/completions): with two values
            // the gateway could not tell which one the model server will obey.
            throw OpenAiError.invalid(
                    "max_completion_tokens",
                    "'max_tokens' (" + maxTokens + ") and 'max_completion_tokens' (" + maxCompletion
                            + ") are both set, to different values; set only one of them.");
        }
        this.sentMaxTokens = maxTokens != null;
        this.sentMaxCompletionTokens = maxCompletion != null;
        this.requestedMaxTokens = maxCompletion != null ? maxCompletion : maxTokens;
        Integer n = positiveInt(body, "n");
        if (n != null && n > MAX_CHOICES) {
            throw OpenAiError.invalid("n", "'n' must be at most " + MAX_CHOICES + ".");
        }
        Integer bestOf = positiveInt(body, "best_of");
        if (bestOf != null && bestOf > MAX_CHOICES) {
            throw OpenAiError.invalid("best_of", "'best_of' must be at most " + MAX_CHOICES + ".");
        }
        if (bestOf != null && n != null && bestOf < n) {
            throw OpenAiError.invalid("best_of", "'best_of' must be at least 'n'.");
        }
        this.choices = Math.max(n == null ? 1 : n, bestOf == null ? 1 : bestOf);
        JsonNode streamFlag = body.get("stream");
        if (streamFlag != null && !streamFlag.isNull() && !streamFlag.isBoolean()) {
            throw OpenAiError.invalid("stream", "'stream' must be a boolean.");
        }
        this.stream = endpoint.generates && streamFlag != null && streamFlag.asBoolean(false);
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull() && !options.isObject()) {
            throw OpenAiError.invalid("stream_options", "'stream_options' must be an object.");
        }
        this.callerWantsStreamUsage =
                options != null && options.path("include_usage").asBoolean(false);
    }

    static ModelCall parse(Endpoint endpoint, Buffer buffer, ObjectMapper json) {
        if (buffer == null || buffer.length() == 0) {
            throw OpenAiError.invalidJson("The request body must be a JSON object.");
        }
        byte[] raw = buffer.getBytes();
        JsonNode tree;
        try {
            tree = json.readTree(raw);
        } catch (JsonProcessingException e) {
            throw OpenAiError.invalidJson("The request body is not valid JSON.");
        } catch (IOException e) {
            throw OpenAiError.invalidJson("The request body could not be read.");
        }
        if (!(tree instanceof ObjectNode object)) {
            throw OpenAiError.invalidJson("The request body must be a JSON object.");
        }
        if (depth(object, 0) > MAX_DEPTH) {
            throw OpenAiError.invalid(null, "The request body is nested too deeply.");
        }
        return new ModelCall(endpoint, object, raw);
    }

    /**
     * The most output tokens this call may make the upstream generate when each sequence is capped at
     * {@code outputCap}: the cap times {@link #choices}. Zero for an endpoint that does not generate.
     */
    long outputReservation(int outputCap) {
        return endpoint.generates ? (long) outputCap * choices : 0;
    }

    /**
     * Refuses, naming the field, what the model's parameter family does not read: a reasoning model takes no
     * {@code temperature} or {@code top_p} other than the default 1, a classic chat model no reasoning effort. A
     * Responses call to a server that speaks only chat completions must also be translatable. Checked once the
     * decision names the model's family, before anything is reserved.
     */
    void checkFor(boolean reasoning, boolean nativeResponses) {
        if (reasoning) {
            for (String field : List.of("temperature", "top_p")) {
                JsonNode value = body.get(field);
                if (value != null && !value.isNull() && !(value.isNumber() && value.asDouble() == 1.0)) {
                    throw OpenAiError.invalid(
                            field, "'" + field + "' is not supported by reasoning models such as '" + model + "'.");
                }
            }
        } else {
            String field = endpoint == Endpoint.RESPONSES ? "reasoning" : "reasoning_effort";
            if (body.hasNonNull(field)) {
                throw OpenAiError.invalid(
                        field,
                        "'" + field + "' is only for reasoning models; '" + model + "' is a classic chat model.");
            }
        }
        if (endpoint == Endpoint.RESPONSES && !nativeResponses) {
            ResponsesTranslation.checkTranslatable(body);
        }
    }

    /** The path under the upstream's base URL: a translated Responses call goes to chat completions. */
    String upstreamPath(boolean nativeResponses) {
        return endpoint == Endpoint.RESPONSES && !nativeResponses ? Endpoint.CHAT.upstreamPath : endpoint.upstreamPath;
    }

    /** Whether this is a Responses call the gateway translates to and from chat completions. */
    boolean translated(boolean nativeResponses) {
        return endpoint == Endpoint.RESPONSES && !nativeResponses;
    }

    /**
     * The body to forward. For an endpoint that generates, it is always the gateway's own serialization of the
     * parsed body, with {@code outputCap} (the per-sequence limit the reservation was made for) in every token
     * field the endpoint's servers read, so that no other value, and no duplicate key a server might read
     * differently, reaches the model: on /v1/completions {@code max_tokens} only (vLLM, Ollama and OpenAI read
     * nothing else there); on chat for a reasoning model {@code max_completion_tokens} only (OpenAI refuses
     * {@code max_tokens} for those), for a classic one the field or fields the caller used, else {@code max_tokens};
     * on /v1/responses {@code max_output_tokens}, with {@code store: false}, or the chat request it translates to.
     * Embeddings go as the caller sent them.
     */
    byte[] upstreamBody(int outputCap, boolean reasoning, boolean nativeResponses) {
        if (!endpoint.generates) {
            return raw;
        }
        if (translated(nativeResponses)) {
            return ResponsesTranslation.toChat(body, outputCap, reasoning)
                    .toString()
                    .getBytes(StandardCharsets.UTF_8);
        }
        // The parsed tree is this call's own and is not read again: changed in place, not copied.
        ObjectNode forward = body;
        if (endpoint == Endpoint.RESPONSES) {
            forward.put("max_output_tokens", outputCap);
            // OpenAI keeps a response unless told not to; prompts and completions are not stored (invariant 7).
            forward.put("store", false);
            return forward.toString().getBytes(StandardCharsets.UTF_8);
        }
        forward.remove("max_tokens");
        forward.remove("max_completion_tokens");
        if (endpoint == Endpoint.CHAT && (reasoning || sentMaxCompletionTokens)) {
            forward.put("max_completion_tokens", outputCap);
        }
        if (endpoint == Endpoint.COMPLETIONS || (!reasoning && (sentMaxTokens || !sentMaxCompletionTokens))) {
            forward.put("max_tokens", outputCap);
        }
        if (stream && !callerWantsStreamUsage) {
            ObjectNode options = forward.get("stream_options") instanceof ObjectNode given
                    ? given
                    : forward.putObject("stream_options");
            options.put("include_usage", true);
        }
        return forward.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw OpenAiError.invalid(field, "'" + field + "' is required.");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw OpenAiError.invalid(field, "'" + field + "' must be a non-empty string.");
        }
        return value.asText();
    }

    private static Integer positiveInt(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
            throw OpenAiError.invalid(field, "'" + field + "' must be a positive integer.");
        }
        return value.asInt();
    }

    private static String messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw OpenAiError.invalid("messages", "'messages' must be a non-empty array.");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode message : messages) {
            if (!message.isObject() || !message.path("role").isTextual()) {
                throw OpenAiError.invalid("messages", "Each message must be an object with a 'role'.");
            }
            JsonNode content = message.get("content");
            if (content == null || content.isNull()) {
                continue;
            }
            if (content.isTextual()) {
                text.append(content.asText()).append('\n');
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    text.append(part.path("text").asText("")).append('\n');
                }
            } else {
                throw OpenAiError.invalid("messages", "A message's 'content' must be a string or an array of parts.");
            }
        }
        return text.toString();
    }

    private static String texts(JsonNode value, String field) {
        if (value != null && value.isTextual()) {
            return value.asText();
        }
        if (value != null && value.isArray() && !value.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode item : value) {
                if (item.isTextual()) {
                    text.append(item.asText()).append('\n');
                } else if (item.isNumber()) {
                    text.append("0000"); // a token id: about one token
                } else if (item.isArray()) {
                    text.append("0000".repeat(item.size()));
                } else {
                    throw OpenAiError.invalid(field, "'" + field + "' must be a string or an array of strings.");
                }
            }
            return text.toString();
        }
        throw OpenAiError.invalid(field, "'" + field + "' must be a string or a non-empty array.");
    }

    private static int depth(JsonNode node, int level) {
        if (level > MAX_DEPTH) {
            return level;
        }
        int deepest = level;
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                deepest = Math.max(deepest, depth(child, level + 1));
                if (deepest > MAX_DEPTH) {
                    return deepest;
                }
            }
        }
        return deepest;
    }
}
