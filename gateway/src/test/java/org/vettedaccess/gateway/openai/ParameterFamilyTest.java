package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The output cap goes in the field the model's parameter family reads, and only there (issue 22). */
class ParameterFamilyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private static ModelCall chat(String extra) {
        return ModelCall.parse(Endpoint.CHAT, Buffer.buffer("{" + CHAT + extra + "}"), JSON);
    }

    private static JsonNode forwarded(ModelCall call, int cap, boolean reasoning) throws IOException {
        call.checkFor(reasoning, false);
        return JSON.readTree(call.upstreamBody(cap, reasoning, false));
    }

    @Test
    void aReasoningModelGetsMaxCompletionTokensAndNeverMaxTokens() throws IOException {
        JsonNode asked = forwarded(chat(",\"max_completion_tokens\":9"), 9, true);
        assertEquals(9, asked.path("max_completion_tokens").asInt());
        assertFalse(asked.has("max_tokens"), asked.toString());
        JsonNode classicField = forwarded(chat(",\"max_tokens\":7"), 7, true);
        assertEquals(7, classicField.path("max_completion_tokens").asInt(), "the caller's cap, in the family's field");
        assertFalse(classicField.has("max_tokens"), "OpenAI refuses max_tokens for reasoning models: " + classicField);
        JsonNode none = forwarded(chat(""), 4096, true);
        assertEquals(4096, none.path("max_completion_tokens").asInt(), "the tier's cap when the caller set none");
        assertFalse(none.has("max_tokens"), "never injected for a reasoning model: " + none);
        JsonNode streamed = forwarded(chat(",\"stream\":true,\"stream_options\":{\"x\":1}"), 5, true);
        assertFalse(streamed.has("max_tokens"));
        assertTrue(streamed.path("stream_options").path("include_usage").asBoolean());
        assertEquals(1, streamed.path("stream_options").path("x").asInt(), "added to, not replaced");
    }

    @Test
    void aClassicChatModelGetsMaxTokensWhenTheCallerSetNoField() throws IOException {
        JsonNode none = forwarded(chat(""), 100, false);
        assertEquals(100, none.path("max_tokens").asInt());
        assertFalse(none.has("max_completion_tokens"));
    }

    @Test
    void theDecisionNamesTheFamilyAndAnOlderAccessPolicyMeansClassicChatTranslated() throws IOException {
        String allow = "{\"decision\":\"ALLOW\",\"upstreamRoute\":\"sim\",\"ttlMillis\":1";
        org.vettedaccess.contracts.policy.Decision reasoning = JSON.readValue(
                allow + ",\"parameterFamily\":\"REASONING\",\"responsesApi\":\"NATIVE\"}",
                org.vettedaccess.contracts.policy.Decision.class);
        assertTrue(reasoning.reasoningFamily());
        assertTrue(reasoning.nativeResponses());
        org.vettedaccess.contracts.policy.Decision older =
                JSON.readValue(allow + "}", org.vettedaccess.contracts.policy.Decision.class);
        assertFalse(older.reasoningFamily());
        assertFalse(older.nativeResponses());
    }

    @Test
    void whatAFamilyDoesNotReadIsA400NamingTheField() {
        OpenAiError temperature = assertThrows(
                OpenAiError.class, () -> chat(",\"temperature\":0.2").checkFor(true, false));
        assertEquals(400, temperature.status());
        assertEquals("temperature", temperature.param());
        assertEquals(
                "top_p",
                assertThrows(OpenAiError.class, () -> chat(",\"top_p\":0.5").checkFor(true, false))
                        .param());
        assertDoesNotThrow(() -> chat(",\"temperature\":1").checkFor(true, false), "the default is accepted");
        assertDoesNotThrow(() -> chat(",\"reasoning_effort\":\"low\"").checkFor(true, false));
        assertEquals(
                "reasoning_effort",
                assertThrows(
                                OpenAiError.class,
                                () -> chat(",\"reasoning_effort\":\"low\"").checkFor(false, false))
                        .param());
        assertDoesNotThrow(() -> chat(",\"temperature\":0.2").checkFor(false, false));
    }
}
