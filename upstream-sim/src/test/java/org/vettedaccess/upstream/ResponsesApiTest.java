package org.vettedaccess.upstream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator serves OpenAI's Responses API, plain and streamed, with the chat endpoint's words and counts. */
@QuarkusTest
class ResponsesApiTest {

    @TestHTTPResource("/v1")
    URL v1;

    @TestHTTPResource("/sim/received")
    URL received;

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder()
                .baseUrl(v1.toString())
                .apiKey("not-checked-by-default")
                .build();
    }

    private static ResponseCreateParams.Builder create(String input) {
        return ResponseCreateParams.builder().model("sim-small").input(input).store(false);
    }

    @Test
    void aResponseHasTheChatEndpointsWordsAndUsage() {
        OpenAIClient client = client();
        Response response =
                client.responses().create(create("four words of prompt").build());
        ChatCompletion chat = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("sim-small")
                        .addUserMessage("four words of prompt")
                        .build());
        String text = response.output()
                .get(0)
                .asMessage()
                .content()
                .get(0)
                .asOutputText()
                .text();
        assertEquals(chat.choices().get(0).message().content().orElseThrow(), text);
        var usage = response.usage().orElseThrow();
        assertEquals(4, usage.inputTokens());
        assertEquals(text.split(" ").length, usage.outputTokens());
        assertEquals(usage.inputTokens() + usage.outputTokens(), usage.totalTokens());
    }

    @Test
    void aStreamSendsTheResponsesEventsAndEndsWithUsage() {
        OpenAIClient client = client();
        String whole = client.responses()
                .create(create("stream me please").maxOutputTokens(30).build())
                .output()
                .get(0)
                .asMessage()
                .content()
                .get(0)
                .asOutputText()
                .text();
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses()
                .createStreaming(create("stream me please").maxOutputTokens(30).build())) {
            stream.stream().forEach(events::add);
        }
        assertTrue(events.get(0).isCreated());
        StringBuilder text = new StringBuilder();
        events.stream()
                .filter(ResponseStreamEvent::isOutputTextDelta)
                .forEach(e -> text.append(e.asOutputTextDelta().delta()));
        assertEquals(whole, text.toString());
        ResponseStreamEvent last = events.get(events.size() - 1);
        assertTrue(last.isCompleted(), last.toString());
        assertEquals(
                whole.split(" ").length,
                last.asCompleted().response().usage().orElseThrow().outputTokens());
        String wire = given().contentType("application/json")
                .body("{\"model\":\"sim-small\",\"input\":\"hi\",\"store\":false,\"stream\":true}")
                .post(v1 + "/responses")
                .asString();
        assertTrue(wire.startsWith("event: response.created\ndata: {"), wire);
        assertTrue(wire.contains("\"sequence_number\":0"), wire);
    }

    @Test
    void aCapCutsTheResponseAndItIsIncomplete() {
        Response response =
                client().responses().create(create("hello").maxOutputTokens(3).build());
        assertEquals(3, response.usage().orElseThrow().outputTokens());
        assertEquals(
                "max_output_tokens",
                response.incompleteDetails()
                        .orElseThrow()
                        .reason()
                        .orElseThrow()
                        .asString());
    }

    @Test
    void itStoresNothingAndSaysSo() {
        OpenAIClient client = client();
        assertThrows(
                BadRequestException.class,
                () -> client.responses()
                        .create(ResponseCreateParams.builder()
                                .model("sim-small")
                                .input("hello")
                                .build()),
                "OpenAI stores by default; the simulator cannot, so it refuses");
        assertThrows(
                BadRequestException.class,
                () -> client.responses()
                        .create(create("hello").previousResponseId("resp_1").build()));
    }

    @Test
    void aReasoningModelRefusesMaxTokensAndTheLastBodyIsKept() {
        OpenAIClient client = client();
        BadRequestException refused = assertThrows(
                BadRequestException.class,
                () -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("sim-reasoning-small")
                                .addUserMessage("hello")
                                .maxTokens(5)
                                .build()));
        assertTrue(refused.getMessage().contains("max_completion_tokens"), refused.getMessage());
        ChatCompletion ok = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("sim-reasoning-small")
                        .addUserMessage("hello")
                        .maxCompletionTokens(5)
                        .build());
        assertEquals(5, ok.usage().orElseThrow().completionTokens());
        String body = given().queryParam("model", "sim-reasoning-small")
                .get(received.toString())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(body.contains("\"max_completion_tokens\":5"), body);
        assertFalse(body.contains("max_tokens\""), body);
        given().queryParam("model", "never-called")
                .get(received.toString())
                .then()
                .statusCode(404);
    }
}
