package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The body a model call is reserved for and the body the upstream gets: the same output cap, in the field the
 * endpoint's servers read, and no second value for them to read instead.
 */
class ModelCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static final String TEXT = "\"model\":\"m\",\"prompt\":\"hi\"";

    private static ModelCall parse(Endpoint endpoint, String json) {
        return ModelCall.parse(endpoint, Buffer.buffer(json), JSON);
    }

    private static JsonNode forwarded(ModelCall call, int cap) throws IOException {
        return JSON.readTree(call.upstreamBody(cap, false, false));
    }

    @Test
    void twoDifferentTokenFieldsAreA400NamingBoth() {
        OpenAiError error = assertThrows(
                OpenAiError.class,
                () -> parse(Endpoint.COMPLETIONS, "{" + TEXT + ",\"max_completion_tokens\":1,\"max_tokens\":100000}"));
        assertEquals(400, error.status());
        assertTrue(error.getMessage().contains("'max_tokens'")
                && error.getMessage().contains("'max_completion_tokens'"));
        assertEquals(
                400,
                assertThrows(
                                OpenAiError.class,
                                () -> parse(
                                        Endpoint.CHAT, "{" + CHAT + ",\"max_completion_tokens\":5,\"max_tokens\":6}"))
                        .status());
    }

    @Test
    void onCompletionsTheUpstreamSeesTheReservedCapInMaxTokensOnly() throws IOException {
        ModelCall call = parse(Endpoint.COMPLETIONS, "{" + TEXT + ",\"max_completion_tokens\":7}");
        assertEquals(7, call.requestedMaxTokens);
        JsonNode body = forwarded(call, 7);
        assertEquals(7, body.path("max_tokens").asInt());
        assertFalse(body.has("max_completion_tokens"), body.toString());
    }

    @Test
    void onChatTheCallersFieldCarriesTheCapAndNoneIsAddedBeside_it() throws IOException {
        JsonNode completion = forwarded(parse(Endpoint.CHAT, "{" + CHAT + ",\"max_completion_tokens\":9}"), 9);
        assertEquals(9, completion.path("max_completion_tokens").asInt());
        assertFalse(completion.has("max_tokens"), "o-series models refuse max_tokens: " + completion);
        JsonNode both =
                forwarded(parse(Endpoint.CHAT, "{" + CHAT + ",\"max_completion_tokens\":9,\"max_tokens\":9}"), 9);
        assertEquals(9, both.path("max_completion_tokens").asInt());
        assertEquals(9, both.path("max_tokens").asInt());
        JsonNode neither = forwarded(parse(Endpoint.CHAT, "{" + CHAT + ",\"max_tokens\":null}"), 4096);
        assertEquals(4096, neither.path("max_tokens").asInt(), "the tier's cap when the caller set none");
        assertFalse(neither.has("max_completion_tokens"));
    }

    @Test
    void aDuplicateKeyDoesNotReachTheUpstream() throws IOException {
        // Parsers differ on which duplicate wins; the gateway sends only its own serialization.
        ModelCall call = parse(Endpoint.COMPLETIONS, "{" + TEXT + ",\"max_tokens\":100000,\"max_tokens\":5}");
        String body = new String(call.upstreamBody(5, false, false), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(1, body.split("max_tokens", -1).length - 1, body);
        assertEquals(5, JSON.readTree(body).path("max_tokens").asInt());
    }

    @Test
    void theReservationCoversEverySequenceNAndBestOfMayGenerate() {
        assertEquals(8 * 4096, parse(Endpoint.CHAT, "{" + CHAT + ",\"n\":8}").outputReservation(4096));
        assertEquals(
                4 * 100,
                parse(Endpoint.COMPLETIONS, "{" + TEXT + ",\"n\":2,\"best_of\":4}")
                        .outputReservation(100));
        assertEquals(100, parse(Endpoint.COMPLETIONS, "{" + TEXT + "}").outputReservation(100));
        assertEquals(
                0,
                parse(Endpoint.EMBEDDINGS, "{\"model\":\"m\",\"input\":\"x\",\"n\":8}")
                        .outputReservation(100));
        assertEquals(
                "best_of",
                assertThrows(
                                OpenAiError.class,
                                () -> parse(Endpoint.COMPLETIONS, "{" + TEXT + ",\"n\":3,\"best_of\":2}"))
                        .param());
        assertEquals(
                "best_of",
                assertThrows(OpenAiError.class, () -> parse(Endpoint.COMPLETIONS, "{" + TEXT + ",\"best_of\":9}"))
                        .param());
        assertEquals(
                "n",
                assertThrows(OpenAiError.class, () -> parse(Endpoint.CHAT, "{" + CHAT + ",\"n\":9}"))
                        .param());
    }

    @Test
    void aStreamAsksForUsageWithoutLosingTheCallersOtherStreamOptions() throws IOException {
        ModelCall call = parse(
                Endpoint.CHAT,
                "{" + CHAT + ",\"stream\":true,\"max_tokens\":3,\"stream_options\":{\"continuous_usage_stats\":true}}");
        JsonNode options = forwarded(call, 3).path("stream_options");
        assertTrue(options.path("include_usage").asBoolean());
        assertTrue(options.path("continuous_usage_stats").asBoolean());
    }

    @Test
    void embeddingsGoAsTheCallerSentThem() {
        String body = "{\"model\":\"m\",\"input\":\"x\",\"max_tokens\":99}";
        assertEquals(
                body,
                new String(
                        parse(Endpoint.EMBEDDINGS, body).upstreamBody(5, false, false),
                        java.nio.charset.StandardCharsets.UTF_8));
    }
}
