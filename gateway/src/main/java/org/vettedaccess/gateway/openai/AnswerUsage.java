package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The token counts and the model of a whole (not streamed) answer, read with the streaming parser: only the
 * top-level {@code usage} object and {@code model} are looked at, the rest (the choices, the completion text) is skipped without building a
 * tree of it. The whole answer is still read, so an answer that is not JSON is told apart as before.
 */
final class AnswerUsage {

    private AnswerUsage() {}

    /** The answer's prompt and completion tokens, and the model it names (null if none). */
    record Counts(long input, long output, String model) {}

    /**
     * prompt_tokens and completion_tokens of the answer's {@code usage}, {@code defaultInput} and 0 for counts it
     * does not give (as {@code JsonNode.asLong} did), and its top-level {@code model}.
     *
     * @throws IOException if the answer is not a JSON document
     */
    static Counts read(JsonFactory factory, byte[] answer, long defaultInput) throws IOException {
        long input = defaultInput;
        long output = 0;
        String model = null;
        try (JsonParser parser = factory.createParser(answer)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                // An empty body: no usage (readTree gave a missing node for it).
                return new Counts(input, output, null);
            }
            if (first == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String count = parser.currentName();
                            JsonToken number = parser.nextToken();
                            if ("prompt_tokens".equals(count)) {
                                input = asLong(parser, number, defaultInput);
                            } else if ("completion_tokens".equals(count)) {
                                output = asLong(parser, number, 0);
                            } else {
                                parser.skipChildren();
                            }
                        }
                    } else if ("model".equals(field) && value == JsonToken.VALUE_STRING) {
                        model = parser.getText();
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
            // The rest of the document must be well-formed too (trailing tokens are ignored, as readTree does).
        }
        return new Counts(input, output, model);
    }

    private static long asLong(JsonParser parser, JsonToken token, long otherwise) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getValueAsLong();
        }
        if (token == JsonToken.VALUE_STRING) {
            return parser.getValueAsLong(otherwise);
        }
        if (token == JsonToken.VALUE_TRUE) {
            return 1;
        }
        if (token == JsonToken.VALUE_FALSE) {
            return 0;
        }
        parser.skipChildren();
        return otherwise;
    }
}
