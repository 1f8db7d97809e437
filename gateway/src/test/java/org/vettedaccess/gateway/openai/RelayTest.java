package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.gateway.openai.StageFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
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
import org.vettedaccess.gateway.quota.Buckets;

/**
 * The relay and the settlement together, between a fake upstream and a real caller over HTTP: what the caller
 * sees, and what is recorded and settled, for a stream, a whole answer, a caller who leaves, and an upstream that
 * breaks off or cannot be reached.
 */
class RelayTest {

    private Vertx vertx;
    private Stages stages;
    private Decision decision;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        stages = new Stages(vertx, 30_000);
        decision = StageFixtures.allow(null, true);
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close().toCompletionStage());
    }

    /** A gateway route that forwards every request as {@code call} to {@code route}. */
    private int gateway(ModelCall call, FakeRoute route) throws Exception {
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
                vertx,
                request -> request.body().onSuccess(body -> {
                    HttpServerResponse response = request.response();
                    script.accept(response);
                }));
        return new FakeRoute(vertx, server.actualPort(), 4);
    }

    private static String content(String text) {
        return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}";
    }

    /** Writes {@code bytes} in pieces at the given cut points, a few milliseconds apart. */
    private void writeInPieces(HttpServerResponse response, byte[] bytes, int[] cuts, Runnable then) {
        int[] edges = new int[cuts.length + 2];
        System.arraycopy(cuts, 0, edges, 1, cuts.length);
        edges[edges.length - 1] = bytes.length;
        for (int i = 0; i + 1 < edges.length; i++) {
            byte[] piece = Arrays.copyOfRange(bytes, edges[i], edges[i + 1]);
            vertx.setTimer(5L * (i + 1), t -> response.write(Buffer.buffer(piece)));
        }
        vertx.setTimer(5L * (edges.length + 1), t -> then.run());
    }

    private static int bytePosition(String text, int charIndex) {
        return text.substring(0, charIndex).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aStreamWithBareCrLinesAndChunksSplitAnywhereReachesTheCallerWholeAndIsSettledOnItsUsage() throws Exception {
        String stream = content("h\u00e9llo") + "\r\r" + content("w\u00f6rld") + "\r\n\r\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\r\r"
                + "data: [DONE]\r\r";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        int accent = bytePosition(stream, stream.indexOf('\u00e9')) + 1; // inside the two bytes of é
        int cr = bytePosition(stream, stream.indexOf("\r\r")) + 1; // between the two bare CRs
        int crlf = bytePosition(stream, stream.indexOf("\r\n\r\n")) + 1; // between a CR and its LF
        FakeRoute route = upstream(response -> {
            response.setChunked(true).putHeader("Content-Type", "text/event-stream");
            writeInPieces(response, bytes, new int[] {3, accent, cr, crlf, crlf + 2, bytes.length - 4}, response::end);
        });
        ModelCall call = StageFixtures.chat(",\"stream\":true,\"max_tokens\":100");
        Answer answer = await(StageFixtures.call(vertx, gateway(call, route)));

        assertEquals(200, answer.status());
        assertEquals(
                content("h\u00e9llo") + "\n\n" + content("w\u00f6rld") + "\n\ndata: [DONE]\n\n",
                answer.body(),
                "every event whole, in order, ended by a blank line; the usage the gateway asked for is not shown");
        assertTrue(route.bodies.poll().contains("\"include_usage\":true"), "the gateway asks for the usage chunk");
        Records.Closed closed = stages.records.closes.poll(5, TimeUnit.SECONDS);
        assertNotNull(closed);
        assertTrue(closed.entry().contains("\"status\":\"ok\""), closed.entry());
        assertEquals(5, closed.inputTokens());
        assertEquals(2, closed.outputTokens());
        assertEquals(7, closed.charged());
        assertEquals(
                new Buckets(0, call.inputTokenEstimate - 5, 100 - 2),
                stages.quota.settled.poll(5, TimeUnit.SECONDS),
                "what was reserved less what was used goes back");
        assertEquals(1, route.released.get(), "the bulkhead slot is freed once");
        assertEquals("", measured().getId().getTag("error.type"), "a call that succeeded has no error.type");
        assertEquals(
                1,
                stages.metrics.get(GenAiMetrics.TIME_TO_FIRST_CHUNK).timer().count(),
                "the stream's first chunk is timed once");
    }

    /** The call's duration meter, once the relay has recorded it (right after the settlement). */
    private io.micrometer.core.instrument.Timer measured() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        io.micrometer.core.instrument.Timer timer;
        while ((timer = stages.metrics.find(GenAiMetrics.DURATION).timer()) == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertNotNull(timer, "the call is measured");
        assertEquals(1, timer.count());
        return timer;
    }

    @Test
    void aCallerWhoLeavesMidStreamGetsNoOutputBackInEitherBudget() throws Exception {
        FakeRoute route = upstream(response -> {
            response.setChunked(true).putHeader("Content-Type", "text/event-stream");
            // One event, then the model keeps working: the stream never ends by itself.
            response.write(content("one") + "\n\n");
        });
        ModelCall call = StageFixtures.chat(",\"stream\":true,\"max_tokens\":1000");
        int port = gateway(call, route);
        CompletableFuture<String> first = new CompletableFuture<>();
        vertx.createHttpClient()
                .request(HttpMethod.POST, port, "localhost", "/v1/chat/completions")
                .compose(HttpClientRequest::send)
                .onSuccess(response -> response.handler(chunk -> {
                    if (first.complete(chunk.toString())) {
                        // The caller has seen one event and leaves.
                        response.request().connection().close();
                    }
                }));
        assertTrue(await(first).contains("one"));

        Records.Closed closed = stages.records.closes.poll(5, TimeUnit.SECONDS);
        assertNotNull(closed, "a cancelled call is still completed");
        assertTrue(closed.entry().contains("\"status\":\"client_cancelled\""), closed.entry());
        assertEquals(1, closed.outputTokens(), "the record says what was relayed");
        assertEquals(
                closed.inputTokens() + 1000,
                closed.charged(),
                "the durable budget is charged the whole output reservation, as the rate bucket is");
        // The input was exactly its estimate and no output comes back, so there is nothing to settle at all.
        Buckets refund = stages.quota.settled.poll(500, TimeUnit.MILLISECONDS);
        assertTrue(refund == null || refund.outputTokens() == 0, "no output tokens back to the rate bucket: " + refund);
        assertEquals(1, route.released.get());
    }

    @Test
    void anUpstreamThatBreaksOffAStreamEndsItWithAnErrorEventAndIsRecordedSo() throws Exception {
        FakeRoute route = upstream(response -> {
            response.setChunked(true).putHeader("Content-Type", "text/event-stream");
            response.write(content("par") + "\n\n");
            vertx.setTimer(20, t -> response.reset());
        });
        ModelCall call = StageFixtures.chat(",\"stream\":true,\"max_tokens\":100");
        Answer answer = await(StageFixtures.call(vertx, gateway(call, route)));

        assertEquals(200, answer.status());
        assertTrue(answer.body().startsWith(content("par") + "\n\n"), answer.body());
        assertTrue(answer.body().contains("\"code\":\"upstream_error\""), "the last event is the error: " + answer);
        Records.Closed closed = stages.records.closes.poll(5, TimeUnit.SECONDS);
        assertNotNull(closed);
        assertTrue(closed.entry().contains("\"status\":\"upstream_disconnected\""), closed.entry());
        assertEquals(1, closed.outputTokens(), "what was relayed is counted");
        assertEquals("disconnected", measured().getId().getTag("error.type"));
    }

    @Test
    void aSilentUpstreamIsCutOffMidStreamWithATimeoutEvent() throws Exception {
        stages = new Stages(vertx, 200);
        FakeRoute route = upstream(response -> {
            response.setChunked(true).putHeader("Content-Type", "text/event-stream");
            response.write(content("a") + "\n\n");
        });
        ModelCall call = StageFixtures.chat(",\"stream\":true,\"max_tokens\":100");
        Answer answer = await(StageFixtures.call(vertx, gateway(call, route)));

        assertTrue(answer.body().contains("\"code\":\"upstream_timeout\""), answer.body());
        assertFalse(answer.body().contains("upstream_error"), "one error event, the timeout: " + answer.body());
        Records.Closed closed = stages.records.closes.poll(5, TimeUnit.SECONDS);
        assertTrue(closed.entry().contains("\"status\":\"upstream_idle_timeout\""), closed.entry());
        assertEquals(1, closed.outputTokens(), "what was relayed is counted");
        assertNull(stages.records.closes.poll(200, TimeUnit.MILLISECONDS), "settled once");
    }

    @Test
    void aWholeAnswerIsPassedOnWithItsReceiptAndSettledOnItsUsage() throws Exception {
        String body = "{\"id\":\"x\",\"model\":\"m-2026-12\",\"choices\":[{\"message\":{\"content\":\"hi\"}}],"
                + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":9}}";
        FakeRoute route = upstream(response ->
                response.putHeader("Content-Type", "application/json").end(body));
        ModelCall call = StageFixtures.chat(",\"max_tokens\":50");
        Answer answer = await(StageFixtures.call(vertx, gateway(call, route)));

        assertEquals(200, answer.status());
        assertEquals(body, answer.body());
        Records.Closed closed = stages.records.closes.poll(5, TimeUnit.SECONDS);
        assertEquals(closed.id().toString(), answer.requestId(), "the answer names its record");
        assertEquals(4, closed.inputTokens());
        assertEquals(9, closed.outputTokens());
        assertEquals(13, closed.charged());
        assertEquals(
                new Buckets(0, call.inputTokenEstimate - 4, 50 - 9), stages.quota.settled.poll(5, TimeUnit.SECONDS));
        assertEquals(1, stages.counted.size(), "the tripwires count the call once");
        assertEquals("ok", stages.counted.get(0).status());
        assertEquals(9, stages.counted.get(0).outputTokens());
        assertFalse(stages.counted.get(0).signals().contentFilter());
        assertEquals("m-2026-12", measured().getId().getTag("gen_ai.response.model"), "the model the answer names");
        assertNull(stages.metrics.find(GenAiMetrics.TIME_TO_FIRST_CHUNK).timer(), "no first chunk for a whole answer");
    }

    @Test
    void aFilteredStreamIsCountedForTheTripwires() throws Exception {
        String stream = "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"content_filter\"}]}\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":0}}\n\n"
                + "data: [DONE]\n\n";
        FakeRoute route = upstream(response -> response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .end(stream));
        ModelCall call = StageFixtures.chat(",\"stream\":true,\"max_tokens\":10");
        Answer answer = await(StageFixtures.call(vertx, gateway(call, route)));

        assertEquals(200, answer.status());
        assertNotNull(stages.records.closes.poll(5, TimeUnit.SECONDS));
        assertEquals(1, stages.counted.size(), "the tripwires count the call once");
        assertTrue(stages.counted.get(0).signals().contentFilter(), "a content_filter finish is seen in the stream");
    }

    @Test
    void aCallThatNeverReachedTheModelIsWithdrawnAndRefundedInFull() throws Exception {
        // Nothing listens on the route's port.
        HttpServer closed = StageFixtures.serve(vertx, request -> {});
        int deadPort = closed.actualPort();
        await(closed.close().toCompletionStage());
        FakeRoute route = new FakeRoute(vertx, deadPort, 4);
        ModelCall call = StageFixtures.chat(",\"max_tokens\":50");
        Answer answer = await(StageFixtures.call(vertx, gateway(call, route)));

        assertEquals(503, answer.status());
        assertTrue(answer.body().contains("upstream_unavailable"), answer.body());
        assertNotNull(stages.records.withdrawn.poll(5, TimeUnit.SECONDS), "its PENDING record is withdrawn");
        assertNull(stages.records.closes.poll(200, TimeUnit.MILLISECONDS), "and never completed");
        assertEquals(
                new Buckets(1, call.inputTokenEstimate, 50),
                stages.quota.settled.poll(5, TimeUnit.SECONDS),
                "the whole reservation, the request too, goes back");
        assertEquals(1, route.released.get());
        assertFalse(stages.quota.settled.poll(200, TimeUnit.MILLISECONDS) != null, "refunded once");
    }
}
