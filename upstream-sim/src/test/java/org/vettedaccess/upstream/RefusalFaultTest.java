package org.vettedaccess.upstream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The REFUSAL and CONTENT_FILTER faults, read through the official SDK as a gateway's callers would, plain and
 * streamed; scoped to one model, they leave the others alone.
 */
@QuarkusTest
class RefusalFaultTest {

    @TestHTTPResource("/v1")
    URL v1;

    @TestHTTPResource("/sim/faults")
    URL faults;

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey("x").build();
    }

    private void fault(String mode, String model) {
        given().contentType("application/json")
                .body("{\"mode\":\"" + mode + "\",\"count\":-1" + (model == null ? "" : ",\"model\":\"" + model + "\"")
                        + "}")
                .post(faults)
                .then()
                .statusCode(200);
    }

    @AfterEach
    void clear() {
        fault("NONE", null);
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("tell me something")
                .build();
    }

    @Test
    void aRefusalCarriesTheRefusalAndNoContentPlainAndStreamed() {
        fault("REFUSAL", "sim-small");
        ChatCompletion reply = client().chat().completions().create(chat("sim-small"));
        assertTrue(reply.choices().get(0).message().refusal().orElseThrow().startsWith("I'm sorry"));
        assertTrue(reply.choices().get(0).message().content().isEmpty());
        assertEquals(
                CompletionRoutes.REFUSAL_WORDS.size(),
                reply.usage().orElseThrow().completionTokens());

        StringBuilder refusal = new StringBuilder();
        StringBuilder content = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream =
                client().chat().completions().createStreaming(chat("sim-small"))) {
            stream.stream()
                    .forEach(chunk -> chunk.choices().forEach(choice -> {
                        choice.delta().refusal().ifPresent(refusal::append);
                        choice.delta().content().ifPresent(content::append);
                    }));
        }
        assertEquals(String.join(" ", CompletionRoutes.REFUSAL_WORDS), refusal.toString());
        assertEquals("", content.toString());

        // Another model is not affected.
        ChatCompletion other = client().chat().completions().create(chat("sim-medium"));
        assertTrue(other.choices().get(0).message().refusal().isEmpty());
        assertFalse(other.choices().get(0).message().content().orElseThrow().isEmpty());
    }

    @Test
    void aContentFilterStopsHalfWayAndSaysSoPlainAndStreamed() {
        fault("CONTENT_FILTER", null);
        ChatCompletion reply = client().chat().completions().create(chat("sim-small"));
        assertEquals(
                ChatCompletion.Choice.FinishReason.CONTENT_FILTER,
                reply.choices().get(0).finishReason());
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
                client().chat().completions().createStreaming(chat("sim-small"))) {
            stream.stream()
                    .forEach(chunk ->
                            chunk.choices().forEach(c -> c.finishReason().ifPresent(finishes::add)));
        }
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.CONTENT_FILTER), finishes);
        given().contentType("application/json")
                .body("{\"model\":\"sim-small\",\"prompt\":\"go on\"}")
                .post(v1 + "/completions")
                .then()
                .statusCode(200)
                .body("choices[0].finish_reason", org.hamcrest.Matchers.equalTo("content_filter"));
    }
}
