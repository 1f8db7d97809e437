package org.vettedaccess.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One completion (n choices), rendered either whole or as stream chunks in the OpenAI wire format. A chat refusal
 * (the REFUSAL fault) carries its words in {@code refusal} instead of {@code content}, as OpenAI's models do.
 */
final class Completion {

    /** The two OpenAI endpoints that complete. */
    enum Kind {
        CHAT,
        TEXT
    }

    private final ObjectMapper json;
    private final Kind kind;
    private final String id;
    private final String model;
    private final long created;
    final int promptTokens;
    private final List<List<String>> choices;
    /** Every token generated, the candidates best_of discarded too: what usage bills. */
    private final int completionTokens;

    private final String finishReason;
    /** Whether the choices' words are a refusal (chat only). */
    private final boolean refusal;

    Completion(
            ObjectMapper json,
            Kind kind,
            String id,
            String model,
            long created,
            int promptTokens,
            List<List<String>> choices,
            int completionTokens,
            String finishReason,
            boolean refusal) {
        this.json = json;
        this.kind = kind;
        this.id = id;
        this.model = model;
        this.created = created;
        this.promptTokens = promptTokens;
        this.choices = choices;
        this.completionTokens = completionTokens;
        this.finishReason = finishReason;
        this.refusal = refusal;
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
            if (kind == Kind.CHAT && refusal) {
                choice.putObject("message")
                        .put("role", "assistant")
                        .putNull("content")
                        .put("refusal", text);
            } else if (kind == Kind.CHAT) {
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
                        chunk(
                                index,
                                delta -> {
                                    delta.put("role", "assistant");
                                    if (refusal) {
                                        delta.putNull("content").put("refusal", "");
                                    } else {
                                        delta.put("content", "");
                                    }
                                },
                                null),
                        false));
            }
        }
        String field = kind == Kind.CHAT ? (refusal ? "refusal" : "content") : "text";
        int longest = choices.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (int index = 0; index < choices.size(); index++) {
                List<String> words = choices.get(index);
                if (i < words.size()) {
                    String piece = (i == 0 ? "" : " ") + words.get(i);
                    chunks.add(new Chunk(chunk(index, delta -> delta.put(field, piece), null), true));
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

    /** One stream chunk, and whether it carries a generated token. */
    record Chunk(ObjectNode body, boolean token) {}
}
