package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
    /** max_tokens or max_completion_tokens as sent; null if neither was. */
    final Integer requestedMaxTokens;

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
        };
        this.inputTokenEstimate = Math.max(1, (prompt.getBytes(StandardCharsets.UTF_8).length + 3) / 4);
        Integer maxTokens = positiveInt(body, "max_tokens");
        Integer maxCompletion = positiveInt(body, "max_completion_tokens");
        this.requestedMaxTokens = maxCompletion != null ? maxCompletion : maxTokens;
        Integer n = positiveInt(body, "n");
        if (n != null && n > MAX_CHOICES) {
            throw OpenAiError.invalid("n", "'n' must be at most " + MAX_CHOICES + ".");
        }
        this.choices = n == null ? 1 : n;
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
            throw new OpenAiError(
                    400,
                    "invalid_request_error",
                    "invalid_json",
                    null,
                    "The request body must be a JSON object.",
                    java.util.Map.of());
        }
        byte[] raw = buffer.getBytes();
        JsonNode tree;
        try {
            tree = json.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new OpenAiError(
                    400,
                    "invalid_request_error",
                    "invalid_json",
                    null,
                    "The request body is not valid JSON.",
                    java.util.Map.of());
        } catch (IOException e) {
            throw new OpenAiError(
                    400,
                    "invalid_request_error",
                    "invalid_json",
                    null,
                    "The request body could not be read.",
                    java.util.Map.of());
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new OpenAiError(
                    400,
                    "invalid_request_error",
                    "invalid_json",
                    null,
                    "The request body must be a JSON object.",
                    java.util.Map.of());
        }
        if (depth(object, 0) > MAX_DEPTH) {
            throw OpenAiError.invalid(null, "The request body is nested too deeply.");
        }
        return new ModelCall(endpoint, object, raw);
    }

    /** The body to forward: the caller's bytes unless the gateway must bound max_tokens or ask for stream usage. */
    byte[] upstreamBody(int defaultMaxTokens) {
        boolean changed = false;
        ObjectNode forward = body;
        if (endpoint.generates && requestedMaxTokens == null) {
            forward = forward.deepCopy();
            forward.put("max_tokens", defaultMaxTokens);
            changed = true;
        }
        if (stream && !callerWantsStreamUsage) {
            forward = changed ? forward : forward.deepCopy();
            forward.putObject("stream_options").put("include_usage", true);
            changed = true;
        }
        return changed ? forward.toString().getBytes(StandardCharsets.UTF_8) : raw;
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
