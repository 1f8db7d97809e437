package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The early refusal of a client over its failed-auth limit, on a real Vert.x server reached from two real loopback
 * addresses (127.0.0.2 floods, 127.0.0.3 is another client): the gate runs before a body handler that accepts at
 * most 64 bytes and before a stand-in for the call's route, which answers 401 to any key but {@code va-valid} and
 * counts the failures as the gateway does.
 */
class OverLimitGateTest {

    private static final int LIMIT = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger reachedRoute = new AtomicInteger();
    private Vertx vertx;
    private FailedAuthentications failures;
    private String url;

    @BeforeEach
    void start() throws Exception {
        failures = new FailedAuthentications(new FailedAuthentications.Limits() {
            public int limit() {
                return LIMIT;
            }

            public Duration window() {
                return Duration.ofMinutes(1);
            }

            public long clients() {
                return 1_000;
            }

            public Duration rememberValid() {
                return Duration.ofMinutes(10);
            }
        });
        OverLimitGate gate = new OverLimitGate(failures, new OpenAiResponses(JSON));
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/v1/*").order(-1).handler(gate::handle);
        router.post("/v1/chat/completions")
                .handler(BodyHandler.create(false).setBodyLimit(64))
                .handler(ctx -> {
                    reachedRoute.incrementAndGet();
                    if ("va-valid".equals(CallAuthenticator.bearer(ctx))) {
                        failures.succeeded("va-valid");
                        ctx.response().end("{}");
                    } else {
                        failures.failed(CallAuthenticator.client(ctx));
                        ctx.response().setStatusCode(401).end();
                    }
                });
        HttpServer server = vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        url = "http://127.0.0.1:" + server.actualPort() + "/v1/chat/completions";
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aClientOverItsLimitIsRefusedBeforeItsBodyIsReadAndAnotherAddressIsNot() throws Exception {
        HttpClient flooder = client("127.0.0.2");
        assertEquals(200, call(flooder, "va-valid", "{}").statusCode(), "the valid key, in use before the flood");
        for (int i = 0; i < LIMIT; i++) {
            assertEquals(401, call(flooder, "va-guess-" + i, "{}").statusCode());
        }
        int reached = reachedRoute.get();

        // Over the limit, with a body the body handler would refuse (413): the gate answers first.
        HttpResponse<String> refused = call(flooder, "va-guess-more", "x".repeat(4_096));
        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals(
                "application/json", refused.headers().firstValue("Content-Type").orElseThrow());
        long retryAfter =
                Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After in whole seconds within the window");
        assertEquals(
                retryAfter * 1000,
                Long.parseLong(refused.headers().firstValue("retry-after-ms").orElseThrow()));
        JsonNode error = JSON.readTree(refused.body()).path("error");
        assertEquals("too_many_failed_authentications", error.path("code").asText());
        assertEquals("requests", error.path("type").asText());
        assertTrue(error.path("param").isNull(), "param is present and null, as in OpenAI's envelope");
        assertTrue(error.path("message").asText().contains("try again in " + retryAfter + " s"));
        assertEquals(reached, reachedRoute.get(), "the refused call never reached the route");

        // The key that authenticated from that address is still looked up; a call with no credential goes on to
        // the route's own 401; another address, with a key it has never used here, is not refused.
        assertEquals(200, call(flooder, "va-valid", "{}").statusCode());
        assertEquals(401, call(flooder, null, "{}").statusCode());
        HttpClient other = client("127.0.0.3");
        assertEquals(401, call(other, "va-first-try", "{}").statusCode(), "looked up (401), not refused (429)");
        assertEquals(reached + 3, reachedRoute.get());
    }

    @Test
    void theAnswerIsTheSameEnvelopeTheRouteWouldWrite() {
        OpenAiResponses responses = new OpenAiResponses(JSON);
        OverLimitGate gate = new OverLimitGate(failures, responses);
        for (long seconds : new long[] {1, 59, 3_600, 7_200}) {
            assertEquals(
                    responses.envelope(FailedAuthentications.refusal(seconds)),
                    new String(gate.body(seconds), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static HttpClient client(String address) throws Exception {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.getByName(address))
                .build();
    }

    private HttpResponse<String> call(HttpClient client, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
