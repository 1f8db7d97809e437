package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.gateway.openai.StageFixtures.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.gateway.openai.StageFixtures.Answer;
import org.vettedaccess.gateway.openai.StageFixtures.FakeRoute;
import org.vettedaccess.gateway.openai.StageFixtures.Records;
import org.vettedaccess.gateway.openai.StageFixtures.Stages;

/**
 * A Responses call relayed and settled: translated from and to a chat-only server (whole and streamed), and passed
 * through from a server that serves /v1/responses, each settled on the usage its upstream reported.
 */
class ResponsesRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Vertx vertx;
    private Stages stages;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        stages = new Stages(vertx, 30_000);
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close().toCompletionStage());
    }

    private int gateway(ModelCall call, Decision decision, FakeRoute route) throws Exception {
        HttpServer server = StageFixtures.serve(vertx, request -> {
            try {
                stages.relay.forward(stages.admitted(request.response(), call, decision, route));
            } catch (Exception e) {
                request.response().setStatusCode(500).end(e.toString());
            }
        });
        return server.actualPort();
    }

    private FakeRoute upstream(Consumer<HttpServerResponse> script) throws Exception {
        HttpServer server = StageFixtures.serve(
                vertx, request -> request.body().onSuccess(body -> script.accept(request.response())));
        return new FakeRoute(vertx, server.actualPort(), 4);
    }

    private static ModelCall responses(String extra) {
        return ModelCall.parse(
                Endpoint.RESPONSES,
                Buffer.buffer("{\"model\":\"m\",\"input\":\"say two words\",\"max_output_tokens\":16" + extra + "}"),
                JSON);
    }

    private static void stream(HttpServerResponse response, String... events) {
        response.setChunked(true).putHeader("Content-Type", "text/event-stream");
        for (String event : events) {
            response.write(event + "\n\n");
        }
        response.end();
    }

    private static List<JsonNode> events(String body) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            String data = SseEvents.data(event);
            if (data != null) {
                events.add(JSON.readTree(data));
            }
        }
        return events;
    }

    private Records.Closed closed() throws InterruptedException {
        Records.Closed closed = stages.records.closes.poll(5, TimeUnit.SECONDS);
        assertNotNull(closed, "the call was settled");
        return closed;
    }

    @Test
    void aTranslatedStreamReachesTheCallerAsResponsesEventsAndIsSettledOnTheChatUsage() throws Exception {
        FakeRoute route = upstream(response -> stream(
                response,
                "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
                "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"two\"}}]}",
                "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" words\"}}]}",
                "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}",
                "data: [DONE]"));
        ModelCall call = responses(",\"stream\":true");
        Answer answer =
                await(StageFixtures.call(vertx, gateway(call, StageFixtures.allow("CHAT", "TRANSLATED"), route)));

        assertEquals(200, answer.status());
        assertEquals("/chat/completions", route.paths.poll());
        JsonNode forwarded = JSON.readTree(route.bodies.poll());
        assertEquals(16, forwarded.path("max_tokens").asInt());
        assertTrue(forwarded.path("stream_options").path("include_usage").asBoolean());
        List<JsonNode> events = events(answer.body());
        assertEquals("response.created", events.get(0).path("type").asText());
        assertFalse(answer.body().contains("[DONE]") || answer.body().contains("chat.completion"), answer.body());
        StringBuilder text = new StringBuilder();
        events.stream()
                .filter(e -> e.path("type").asText().equals("response.output_text.delta"))
                .forEach(e -> text.append(e.path("delta").asText()));
        assertEquals("two words", text.toString());
        JsonNode completed = events.get(events.size() - 1);
        assertEquals("response.completed", completed.path("type").asText());
        assertEquals(3, completed.at("/response/usage/input_tokens").asInt());
        assertEquals(2, completed.at("/response/usage/output_tokens").asInt());
        Records.Closed closed = closed();
        assertTrue(closed.entry().contains("\"status\":\"ok\""), closed.entry());
        assertEquals(3, closed.inputTokens());
        assertEquals(2, closed.outputTokens(), "the ledger has what the caller was shown");
    }

    @Test
    void aTranslatedWholeAnswerIsAResponse() throws Exception {
        FakeRoute route = upstream(response -> response.putHeader("Content-Type", "application/json")
                .end("{\"id\":\"c2\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"two words\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}"));
        Answer answer =
                await(StageFixtures.call(vertx, gateway(responses(""), StageFixtures.allow("REASONING", null), route)));

        assertEquals(200, answer.status());
        JsonNode forwarded = JSON.readTree(route.bodies.poll());
        assertEquals(16, forwarded.path("max_completion_tokens").asInt());
        assertFalse(forwarded.has("max_tokens"), "a reasoning model: " + forwarded);
        JsonNode response = JSON.readTree(answer.body());
        assertEquals("response", response.path("object").asText());
        assertEquals("two words", response.at("/output/0/content/0/text").asText());
        assertEquals(2, response.at("/usage/output_tokens").asInt());
        Records.Closed closed = closed();
        assertEquals(3, closed.inputTokens());
        assertEquals(2, closed.outputTokens());
    }

    @Test
    void aNativeStreamPassesThroughUnchangedAndIsSettledOnResponseCompleted() throws Exception {
        String[] upstreamEvents = {
            "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"usage\":null}}",
            "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"delta\":\"two\"}",
            "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,"
                    + "\"response\":{\"usage\":{\"input_tokens\":4,\"output_tokens\":1,\"total_tokens\":5}}}"
        };
        FakeRoute route = upstream(response -> stream(response, upstreamEvents));
        Answer answer = await(StageFixtures.call(
                vertx, gateway(responses(",\"stream\":true"), StageFixtures.allow("CHAT", "NATIVE"), route)));

        assertEquals(200, answer.status());
        assertEquals("/responses", route.paths.poll());
        JsonNode forwarded = JSON.readTree(route.bodies.poll());
        assertFalse(forwarded.path("store").asBoolean(true));
        assertEquals(16, forwarded.path("max_output_tokens").asInt());
        assertEquals(String.join("\n\n", upstreamEvents) + "\n\n", answer.body(), "event by event, as sent");
        Records.Closed closed = closed();
        assertEquals(4, closed.inputTokens());
        assertEquals(1, closed.outputTokens());
    }

    @Test
    void aNativeStreamWithoutUsageIsCountedByItsDeltasNeverAsZero() throws Exception {
        FakeRoute route = upstream(response -> stream(
                response,
                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"a\"}",
                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"b\"}"));
        Answer answer = await(StageFixtures.call(
                vertx, gateway(responses(",\"stream\":true"), StageFixtures.allow("CHAT", "NATIVE"), route)));

        assertEquals(200, answer.status());
        Records.Closed closed = closed();
        assertTrue(closed.entry().contains("\"status\":\"ok_estimated\""), closed.entry());
        assertEquals(2, closed.outputTokens());
    }
}
