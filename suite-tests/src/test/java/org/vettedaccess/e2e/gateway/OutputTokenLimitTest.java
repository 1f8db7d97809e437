package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Output tokens per minute (OWASP API4, unrestricted resource consumption), attacked with a researcher's own key the
 * way the limit was bypassed: many sequences per call ({@code n}, {@code best_of}) beyond the bucket, and two token
 * fields the gateway and the model server read differently. What counts is what the model server actually sent
 * (the simulator's own count, {@code GET /sim/usage}), not what the gateway says it let through. The simulator writes
 * every answer to the full cap ({@code ignore_eos}), the worst case a model may produce.
 */
@ExtendWith(RunningSuite.class)
class OutputTokenLimitTest {

    /** Tier 1 for the test: small enough that one call may reach it; put back afterwards. */
    private static final int OUTPUT_TPM = 6_000;

    private static final int INPUT_TPM = 1_000_000;
    private static final int MAX_TOKENS = 2_048;
    private static final int RPM = 600;

    @Test
    void manySequencesPerCallCannotExceedTheOutputTokensPerMinute(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        withTier(gateway, () -> {
            GatewayFixture.Granted granted = gateway.grant("alice", 1);
            String key = gateway.key("alice", granted.grantId());
            long started = System.nanoTime();
            // n = 4 at the tier's max_tokens: 8,192 tokens against a 6,000 bucket. The old gateway reserved
            // min(8,192, 6,000) and let the model write all 8,192.
            List<Response> attacks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                attacks.add(call(gateway, key, "/v1/chat/completions", chat(granted.model(), Map.of("n", 4))));
            }
            // best_of generates (and bills) every candidate though it returns one.
            attacks.add(call(
                    gateway,
                    key,
                    "/v1/completions",
                    text(granted.model(), Map.of("n", 1, "best_of", 4, "max_tokens", MAX_TOKENS))));
            // Measured first, so that a bypass shows as the tokens it got out.
            assertWithinLimit(gateway, granted.model(), started);
            for (Response tooLarge : attacks) {
                assertOpenAiError(tooLarge, 429, "request_too_large");
                assertEquals("false", tooLarge.header("x-should-retry"), "waiting would not help");
                assertNull(tooLarge.header("Retry-After"));
                assertTrue(tooLarge.asString().contains("8192"), tooLarge.asString());
            }

            // A call that fits the bucket exactly is served in full, and the next one must wait for the refill.
            Response fits = call(
                    gateway,
                    key,
                    "/v1/chat/completions",
                    chat(granted.model(), Map.of("n", 3, "max_tokens", OUTPUT_TPM / 3)));
            fits.then().statusCode(200);
            assertEquals(3, fits.jsonPath().getList("choices").size());
            assertEquals(OUTPUT_TPM, fits.jsonPath().getInt("usage.completion_tokens"));
            // The rate headers as OpenAI means them: tokens are input and output together.
            assertEquals(Integer.toString(INPUT_TPM + OUTPUT_TPM), fits.header("x-ratelimit-limit-tokens"));
            assertEquals(Integer.toString(OUTPUT_TPM), fits.header("x-ratelimit-limit-output-tokens"));
            assertEquals("0", fits.header("x-ratelimit-remaining-output-tokens"));
            Response limited = call(
                    gateway,
                    key,
                    "/v1/chat/completions",
                    chat(granted.model(), Map.of("n", 3, "max_tokens", OUTPUT_TPM / 3)));
            assertOpenAiError(limited, 429, "rate_limit_exceeded");
            long waitMillis = Long.parseLong(limited.header("retry-after-ms"));
            assertTrue(waitMillis > 50_000 && waitMillis <= 60_000, "a minute's refill: " + waitMillis);
            assertEquals((waitMillis + 999) / 1000, Long.parseLong(limited.header("Retry-After")));
            assertWithinLimit(gateway, granted.model(), started);
        });
    }

    @Test
    void twoTokenFieldsCannotExceedTheOutputTokensPerMinute(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        withTier(gateway, () -> {
            GatewayFixture.Granted granted = gateway.grant("alice", 1);
            String key = gateway.key("alice", granted.grantId());
            long started = System.nanoTime();
            // The gateway reserved max_completion_tokens; vLLM and Ollama obey max_tokens on /v1/completions.
            List<Response> attacks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                attacks.add(call(
                        gateway,
                        key,
                        "/v1/completions",
                        text(granted.model(), Map.of("max_completion_tokens", 1, "max_tokens", 30_000))));
            }
            attacks.add(call(
                    gateway,
                    key,
                    "/v1/chat/completions",
                    chat(granted.model(), Map.of("max_completion_tokens", 1, "max_tokens", 30_000))));
            // Measured first, so that a bypass shows as the tokens it got out.
            assertWithinLimit(gateway, granted.model(), started);
            for (Response conflicting : attacks) {
                assertOpenAiError(conflicting, 400, "invalid_value");
                assertTrue(
                        conflicting.asString().contains("'max_completion_tokens'")
                                && conflicting.asString().contains("'max_tokens'"),
                        conflicting.asString());
            }

            // max_completion_tokens alone on /v1/completions: the server reads max_tokens there, so the gateway
            // forwards the reserved cap in it, and the server writes exactly that many.
            long before = sent(gateway, granted.model());
            Response single =
                    call(gateway, key, "/v1/completions", text(granted.model(), Map.of("max_completion_tokens", 500)));
            single.then().statusCode(200);
            assertEquals(500, sent(gateway, granted.model()) - before, "the server wrote the reserved cap");
            assertWithinLimit(gateway, granted.model(), started);
        });
    }

    /** What the model server sent for the model since the test began fits the bucket and its refill. */
    private static void assertWithinLimit(GatewayFixture gateway, String model, long startedNanos) {
        long sent = sent(gateway, model);
        double minutes = (System.nanoTime() - startedNanos) / 60e9;
        long allowed = OUTPUT_TPM + (long) Math.ceil(OUTPUT_TPM * minutes);
        assertTrue(sent <= allowed, "the model server sent " + sent + " output tokens; the limit allows " + allowed);
    }

    private static long sent(GatewayFixture gateway, String model) {
        return given().queryParam("model", model)
                .get(gateway.upstreamUrl + "/sim/usage")
                .then()
                .statusCode(200)
                .extract()
                .<Number>path("completionTokens")
                .longValue();
    }

    private static Map<String, Object> chat(String model, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("messages", List.of(Map.of("role", "user", "content", "Write for as long as you may.")));
        body.put("max_tokens", MAX_TOKENS);
        body.put("ignore_eos", true);
        body.putAll(fields);
        return body;
    }

    private static Map<String, Object> text(String model, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("prompt", "Write for as long as you may.");
        body.put("ignore_eos", true);
        body.putAll(fields);
        return body;
    }

    private static Response call(GatewayFixture gateway, String key, String path, Map<String, Object> body) {
        return given().header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON)
                .body(body)
                .post(gateway.url + path);
    }

    /** Runs with tier 1 at the test's limits, and puts the tier back as it was, whatever happens. */
    private static void withTier(GatewayFixture gateway, Runnable test) {
        ObjectNode tier1 = gateway.tier(1);
        gateway.putTier(tier1.deepCopy()
                .put("rpm", RPM)
                .put("inputTpm", INPUT_TPM)
                .put("outputTpm", OUTPUT_TPM)
                .put("maxTokens", MAX_TOKENS));
        try {
            test.run();
        } finally {
            gateway.putTier(tier1);
        }
    }
}
