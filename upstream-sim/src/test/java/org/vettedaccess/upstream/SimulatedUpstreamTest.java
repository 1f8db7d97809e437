package org.vettedaccess.upstream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator speaks the OpenAI wire format well enough for the official SDK, streaming included. */
@QuarkusTest
class SimulatedUpstreamTest {

    @TestHTTPResource("/v1")
    URL v1;

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder()
                .baseUrl(v1.toString())
                .apiKey("not-checked-by-default")
                .build();
    }

    private static ChatCompletionCreateParams.Builder chat(String prompt) {
        return ChatCompletionCreateParams.builder().model("sim-small").addUserMessage(prompt);
    }

    @Test
    void chatCompletionIsDeterministicAndBillsWords() {
        OpenAIClient client = client();
        ChatCompletion first =
                client.chat().completions().create(chat("four words of prompt").build());
        ChatCompletion second =
                client.chat().completions().create(chat("four words of prompt").build());

        String content = first.choices().get(0).message().content().orElseThrow();
        assertEquals(content, second.choices().get(0).message().content().orElseThrow());
        assertTrue(content.startsWith("Simulated reply from sim-small to 4 prompt tokens:"), content);
        CompletionUsage usage = first.usage().orElseThrow();
        assertEquals(4, usage.promptTokens());
        assertEquals(content.split(" ").length, usage.completionTokens());
    }

    @Test
    void maxTokensCutsTheReplyAndSaysSo() {
        ChatCompletion reply = client().chat()
                .completions()
                .create(chat("hello").maxCompletionTokens(3).build());
        assertEquals(3, reply.usage().orElseThrow().completionTokens());
        assertEquals(
                ChatCompletion.Choice.FinishReason.LENGTH,
                reply.choices().get(0).finishReason());
    }

    @Test
    void streamSendsTheSameTextChunkByChunkAndEndsWithUsage() {
        OpenAIClient client = client();
        String whole = client.chat()
                .completions()
                .create(chat("stream me please").build())
                .choices()
                .get(0)
                .message()
                .content()
                .orElseThrow();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletionCreateParams params = chat("stream me please")
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk ->
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        assertEquals(whole, text.toString());
        assertTrue(chunks.size() > 3, "streamed in pieces");
        CompletionUsage usage = chunks.get(chunks.size() - 1).usage().orElseThrow();
        assertEquals(3, usage.promptTokens());
        assertEquals(whole.split(" ").length, usage.completionTokens());
    }

    @Test
    void dripSpacesTheChunksOfAStreamAndStopsWhenTold() {
        OpenAIClient client = client();
        ChatCompletionCreateParams params =
                chat("drip this").maxCompletionTokens(3).build();
        given().contentType("application/json")
                .body("{\"mode\":\"DRIP\",\"delayMs\":100}")
                .post(v1.toString().replace("/v1", "/sim/faults"))
                .then()
                .statusCode(200);
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        long started = System.nanoTime();
        try {
            try (StreamResponse<ChatCompletionChunk> stream =
                    client.chat().completions().createStreaming(params)) {
                stream.stream().forEach(chunks::add);
            }
        } finally {
            given().contentType("application/json")
                    .body("{\"mode\":\"NONE\"}")
                    .post(v1.toString().replace("/v1", "/sim/faults"))
                    .then()
                    .statusCode(200);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        // role, three words, the finish chunk: four gaps of 100 ms between five chunks, then [DONE].
        assertEquals(5, chunks.size());
        assertTrue(millis >= 400, "the chunks came " + millis + " ms apart in all");
    }

    @Test
    void unknownModelIsA404InTheOpenAiEnvelope() {
        NotFoundException e = assertThrows(
                NotFoundException.class,
                () -> client().chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("no-such-model")
                                .addUserMessage("hi")
                                .build()));
        assertEquals(404, e.statusCode());
        given().contentType("application/json")
                .body("{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post(v1 + "/chat/completions")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("model_not_found"))
                .body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void malformedJsonIsA400InTheOpenAiEnvelope() {
        given().contentType("application/json")
                .body("{not json")
                .post(v1 + "/chat/completions")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_json"));
    }

    @Test
    void embeddingsAreUnitVectors() {
        given().contentType("application/json")
                .body("{\"model\":\"sim-small\",\"input\":[\"a b\",\"c\"]}")
                .post(v1 + "/embeddings")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(2))
                .body("data[0].embedding.size()", equalTo(8))
                .body("usage.prompt_tokens", equalTo(3));
    }

    @Test
    void nChoicesAreGeneratedAndTheirTokensSummedInUsage() {
        String model = "sim-small";
        long before = sentCompletionTokens(model);
        given().contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"n\":3,\"max_tokens\":40,\"ignore_eos\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"three ways\"}]}")
                .post(v1 + "/chat/completions")
                .then()
                .statusCode(200)
                .body("choices.size()", equalTo(3))
                .body("choices[2].index", equalTo(2))
                .body("choices[0].finish_reason", equalTo("length"))
                .body("usage.completion_tokens", equalTo(120));
        assertEquals(120, sentCompletionTokens(model) - before, "the counter saw what was sent");
    }

    @Test
    void completionsReadMaxTokensAndIgnoreMaxCompletionTokensAsVllmDoes() {
        // The two-field request a gateway must not let through unchanged: the server obeys max_tokens here.
        given().contentType("application/json")
                .body("{\"model\":\"sim-small\",\"prompt\":\"go on\",\"max_completion_tokens\":1,"
                        + "\"max_tokens\":300,\"ignore_eos\":true}")
                .post(v1 + "/completions")
                .then()
                .statusCode(200)
                .body("usage.completion_tokens", equalTo(300));
        // On chat, max_completion_tokens wins (vLLM: max_completion_tokens or max_tokens).
        given().contentType("application/json")
                .body("{\"model\":\"sim-small\",\"max_completion_tokens\":2,\"max_tokens\":300,"
                        + "\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go on\"}]}")
                .post(v1 + "/chat/completions")
                .then()
                .statusCode(200)
                .body("usage.completion_tokens", equalTo(2));
    }

    @Test
    void bestOfBillsEveryCandidateAndReturnsN() {
        given().contentType("application/json")
                .body("{\"model\":\"sim-small\",\"prompt\":\"pick one\",\"n\":1,\"best_of\":4,"
                        + "\"max_tokens\":10,\"ignore_eos\":true}")
                .post(v1 + "/completions")
                .then()
                .statusCode(200)
                .body("choices.size()", equalTo(1))
                .body("usage.completion_tokens", equalTo(40));
    }

    @Test
    void aStreamOfNChoicesCountsEveryTokenItSends() {
        String model = "sim-medium";
        long before = sentCompletionTokens(model);
        String body = given().contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"n\":2,\"max_tokens\":30,\"ignore_eos\":true,"
                        + "\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"stream two\"}]}")
                .post(v1 + "/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(body.contains("\"index\":1"), "both choices streamed");
        assertTrue(body.contains("\"completion_tokens\":60"), body);
        assertEquals(60, sentCompletionTokens(model) - before);
    }

    private long sentCompletionTokens(String model) {
        return given().queryParam("model", model)
                .get(v1.toString().replace("/v1", "/sim/usage"))
                .then()
                .statusCode(200)
                .extract()
                .<Number>path("completionTokens")
                .longValue();
    }
}
