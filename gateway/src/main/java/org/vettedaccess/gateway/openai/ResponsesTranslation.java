package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The Responses API ({@code POST /v1/responses}) on its own terms and, for a model whose server speaks only chat
 * completions, translated to a chat request and back (the stream in {@link ResponsesStream}). The fields translated
 * and the ones refused are listed in the gateway README; anything else is a 400 naming the field, never silently
 * dropped.
 */
final class ResponsesTranslation {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The request fields a chat completion can carry; any other is refused for a translated call. */
    static final Set<String> TRANSLATED = Set.of(
            "model",
            "input",
            "instructions",
            "max_output_tokens",
            "temperature",
            "top_p",
            "stream",
            "reasoning",
            "user",
            "store");

    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");

    private ResponsesTranslation() {}

    /**
     * Checks what every Responses call must meet, natively served or translated, and returns the prompt's text for
     * the input estimate. Nothing that needs a stored response is accepted: prompts and completions are not stored
     * (invariant 7).
     */
    static String prompt(ObjectNode body) {
        if (body.path("store").asBoolean(false)) {
            throw OpenAiError.invalid(
                    "store",
                    "'store: true' is not supported: this gateway stores no prompts or completions, only a salted"
                            + " commitment to them; send 'store: false' or leave it out.");
        }
        if (body.path("background").asBoolean(false)) {
            throw OpenAiError.invalid(
                    "background", "'background: true' needs a stored response; this gateway stores none.");
        }
        for (String field : List.of("previous_response_id", "conversation")) {
            if (body.hasNonNull(field)) {
                throw OpenAiError.invalid(
                        field,
                        "'" + field + "' needs a stored response; this gateway stores none, so send the whole"
                                + " conversation in 'input'.");
            }
        }
        JsonNode instructions = body.get("instructions");
        if (instructions != null && !instructions.isNull() && !instructions.isTextual()) {
            throw OpenAiError.invalid("instructions", "'instructions' must be a string.");
        }
        StringBuilder text = new StringBuilder(instructions == null ? "" : instructions.asText(""));
        JsonNode input = body.get("input");
        if (input != null && input.isTextual() && !input.asText().isEmpty()) {
            return text.append('\n').append(input.asText()).toString();
        }
        if (input == null || !input.isArray() || input.isEmpty()) {
            throw OpenAiError.invalid("input", "'input' must be a non-empty string or a non-empty array of items.");
        }
        for (JsonNode item : input) {
            if (!item.isObject()) {
                throw OpenAiError.invalid("input", "Each input item must be an object.");
            }
            JsonNode content = item.get("content");
            if (content != null && content.isTextual()) {
                text.append('\n').append(content.asText());
            } else if (content != null && content.isArray()) {
                for (JsonNode part : content) {
                    text.append('\n').append(part.path("text").asText(""));
                }
            } else {
                // Another kind of item (a function call's output, say): counted by its size.
                text.append('\n').append(item.toString());
            }
        }
        return text.toString();
    }

    /** Refuses, naming it, whatever a chat completion cannot carry. */
    static void checkTranslatable(ObjectNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!TRANSLATED.contains(field)) {
                throw OpenAiError.invalid(
                        field,
                        "'" + field + "' is not supported for this model: its server speaks only chat completions,"
                                + " and the gateway translates only the fields its README lists.");
            }
        }
        JsonNode reasoning = body.get("reasoning");
        if (reasoning != null && !reasoning.isNull()) {
            if (!reasoning.isObject()) {
                throw OpenAiError.invalid("reasoning", "'reasoning' must be an object.");
            }
            for (Iterator<String> names = reasoning.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (!field.equals("effort")) {
                    throw OpenAiError.invalid(
                            "reasoning." + field,
                            "'reasoning." + field + "' is not supported for this model; only 'reasoning.effort'.");
                }
            }
            if (!reasoning.path("effort").isTextual()) {
                throw OpenAiError.invalid("reasoning.effort", "'reasoning.effort' must be a string.");
            }
        }
        JsonNode input = body.get("input");
        if (input.isArray()) {
            for (JsonNode item : input) {
                String type = item.path("type").asText("message");
                if (!type.equals("message") || !ROLES.contains(item.path("role").asText())) {
                    throw OpenAiError.invalid(
                            "input",
                            "Only message items (role user, assistant, system or developer) can be translated for"
                                    + " this model; not '" + type + "'.");
                }
                JsonNode content = item.get("content");
                if (content == null || !(content.isTextual() || content.isArray())) {
                    throw OpenAiError.invalid("input", "A message's 'content' must be a string or an array of parts.");
                }
                if (content.isArray()) {
                    for (JsonNode part : content) {
                        String kind = part.path("type").asText();
                        if (!(kind.equals("input_text") || kind.equals("output_text"))
                                || !part.path("text").isTextual()) {
                            throw OpenAiError.invalid(
                                    "input",
                                    "Only text parts (input_text, output_text) can be translated for this model; not '"
                                            + kind + "'.");
                        }
                    }
                }
            }
        }
    }

    /** The chat completion request a checked Responses request stands for, capped at {@code outputCap}. */
    static ObjectNode toChat(ObjectNode body, int outputCap, boolean reasoning) {
        ObjectNode chat = NODES.objectNode();
        chat.put("model", body.path("model").asText());
        ArrayNode messages = chat.putArray("messages");
        if (body.path("instructions").isTextual()) {
            messages.addObject()
                    .put("role", "system")
                    .put("content", body.get("instructions").asText());
        }
        JsonNode input = body.get("input");
        if (input.isTextual()) {
            messages.addObject().put("role", "user").put("content", input.asText());
        } else {
            for (JsonNode item : input) {
                String role = item.path("role").asText();
                ObjectNode message = messages.addObject().put("role", role.equals("developer") ? "system" : role);
                JsonNode content = item.get("content");
                if (content.isTextual()) {
                    message.put("content", content.asText());
                } else {
                    ArrayNode parts = message.putArray("content");
                    content.forEach(part -> parts.addObject()
                            .put("type", "text")
                            .put("text", part.path("text").asText()));
                }
            }
        }
        // The field the model's family reads, and only that one (reasoning models refuse max_tokens).
        chat.put(reasoning ? "max_completion_tokens" : "max_tokens", outputCap);
        for (String field : List.of("temperature", "top_p", "user")) {
            if (body.hasNonNull(field)) {
                chat.set(field, body.get(field));
            }
        }
        if (body.path("reasoning").path("effort").isTextual()) {
            chat.put("reasoning_effort", body.path("reasoning").path("effort").asText());
        }
        if (body.path("stream").asBoolean(false)) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true);
        }
        return chat;
    }

    /** A chat completion answer as the Responses API's response object; {@code request} is what the caller sent. */
    static ObjectNode toResponse(JsonNode chat, ObjectNode request, int outputCap) {
        JsonNode choice = chat.path("choices").path(0);
        JsonNode message = choice.path("message");
        String text = message.path("content").isTextual()
                ? message.path("content").asText()
                : message.path("refusal").asText("");
        String id = chat.path("id").asText("chat");
        ObjectNode response =
                skeleton(id, chat.path("created").asLong(0), chat.path("model").asText(), request, outputCap);
        status(response, choice.path("finish_reason").asText("stop"));
        response.withArray("output").add(message(id, text, "completed"));
        JsonNode usage = chat.path("usage");
        response.set(
                "usage",
                usage(
                        usage.path("prompt_tokens").asLong(0),
                        usage.path("completion_tokens").asLong(0)));
        return response;
    }

    /** The response object without output or usage, as response.created shows it. */
    static ObjectNode skeleton(String chatId, long created, String model, ObjectNode request, int outputCap) {
        ObjectNode response = NODES.objectNode()
                .put("id", "resp_" + chatId)
                .put("object", "response")
                .put("created_at", created)
                .put("status", "in_progress")
                .put("background", false);
        response.putNull("error");
        response.putNull("incomplete_details");
        response.set("instructions", request.path("instructions").isTextual() ? request.get("instructions") : null);
        response.put("max_output_tokens", outputCap);
        response.putObject("metadata");
        response.put("model", model.isEmpty() ? request.path("model").asText() : model);
        response.putArray("output");
        response.put("parallel_tool_calls", true);
        response.putNull("previous_response_id");
        ObjectNode reasoning = response.putObject("reasoning");
        reasoning.set(
                "effort",
                request.path("reasoning").path("effort").isTextual()
                        ? request.path("reasoning").get("effort")
                        : null);
        reasoning.putNull("summary");
        response.put("store", false);
        response.set(
                "temperature", request.hasNonNull("temperature") ? request.get("temperature") : NODES.numberNode(1.0));
        response.putObject("text").putObject("format").put("type", "text");
        response.put("tool_choice", "auto");
        response.putArray("tools");
        response.set("top_p", request.hasNonNull("top_p") ? request.get("top_p") : NODES.numberNode(1.0));
        response.put("truncation", "disabled");
        response.putNull("usage");
        response.set("user", request.hasNonNull("user") ? request.get("user") : null);
        return response;
    }

    /** Sets the status a chat finish reason stands for: a cut-off answer is incomplete, as OpenAI reports it. */
    static void status(ObjectNode response, String finishReason) {
        switch (finishReason) {
            case "length" -> {
                response.put("status", "incomplete");
                response.putObject("incomplete_details").put("reason", "max_output_tokens");
            }
            case "content_filter" -> {
                response.put("status", "incomplete");
                response.putObject("incomplete_details").put("reason", "content_filter");
            }
            default -> response.put("status", "completed");
        }
    }

    /** The assistant's message item with its text as one output_text part. */
    static ObjectNode message(String chatId, String text, String status) {
        ObjectNode item = NODES.objectNode()
                .put("id", "msg_" + chatId)
                .put("type", "message")
                .put("status", status)
                .put("role", "assistant");
        item.putArray("content").add(textPart(text));
        return item;
    }

    static ObjectNode textPart(String text) {
        ObjectNode part = NODES.objectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    /** The Responses API's usage object. */
    static ObjectNode usage(long input, long output) {
        ObjectNode usage = NODES.objectNode().put("input_tokens", input);
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", output);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", input + output);
        return usage;
    }
}
