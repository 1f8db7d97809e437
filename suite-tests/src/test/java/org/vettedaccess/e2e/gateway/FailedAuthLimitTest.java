package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/**
 * The per-client limit on failed authentications (issue 18): a client that sends more random API keys than the
 * limit within the window gets 429 with {@code Retry-After} before any lookup, while a valid key in use keeps
 * working. The suite's own gateway has a very high limit (every test calls from 127.0.0.1), so this starts a
 * replica with a limit of 10. The refusal comes before the call's body is read (ADR 0097): the replica reads at
 * most 2,048 bytes, and an over-limit client's larger body still gets the 429, not a 413. Another client address
 * (127.0.0.2, a real second source address on the loopback) is not refused, even with a key it never used there.
 */
@ExtendWith(RunningSuite.class)
class FailedAuthLimitTest {

    private static final int LIMIT = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aClientSendingUnknownKeysIsRefusedAfterTheLimitAndAValidKeyInUseStillWorks(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture fixture = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = fixture.grant("alice", 1);
        String key = fixture.key("alice", granted.grantId());
        int http = SuitePorts.freePort();
        int management = SuitePorts.freePort();
        suite.startGatewayReplica(
                "gateway-auth",
                http,
                management,
                Map.of("GATEWAY_FAILED_AUTH_LIMIT", String.valueOf(LIMIT), "GATEWAY_UPSTREAM_MAX_BODY_BYTES", "2048"));
        try {
            String gateway = "http://localhost:" + http;
            // The valid key, in use on this replica before the flood.
            models(gateway, key).then().statusCode(200);
            for (int i = 0; i < LIMIT; i++) {
                models(gateway, randomKey()).then().statusCode(401);
            }
            Response refused = models(gateway, randomKey());
            assertEquals(429, refused.statusCode(), refused.asString());
            assertEquals("too_many_failed_authentications", refused.path("error.code"));
            assertNotNull(refused.header("retry-after-ms"), "retry-after-ms for the OpenAI SDKs");
            assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1, "Retry-After in whole seconds");
            // The same unknown key again is refused by the limit too, not looked up.
            models(gateway, randomKey()).then().statusCode(429);
            // A chat call from the over-limit address with a body over the replica's limit: refused before the
            // body is read (a 429, not the 413 the body handler would answer), in the OpenAI envelope.
            HttpResponse<String> early =
                    chat(HttpClient.newHttpClient(), http, randomKey(), granted.model(), "x".repeat(8_192));
            assertEquals(429, early.statusCode(), early.body());
            JsonNode error = JSON.readTree(early.body()).path("error");
            assertEquals("too_many_failed_authentications", error.path("code").asText());
            assertEquals("requests", error.path("type").asText());
            assertTrue(error.has("param") && error.path("param").isNull(), early.body());
            long retryAfter =
                    Long.parseLong(early.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1, "Retry-After in whole seconds");
            assertEquals(
                    retryAfter * 1000,
                    Long.parseLong(early.headers().firstValue("retry-after-ms").orElseThrow()));
            // A valid key from another address, never used on this replica, is not refused.
            String otherKey = fixture.key("alice", granted.grantId());
            HttpClient otherAddress = HttpClient.newBuilder()
                    .localAddress(InetAddress.getByName("127.0.0.2"))
                    .build();
            HttpResponse<String> other = chat(otherAddress, http, otherKey, granted.model(), "");
            assertEquals(200, other.statusCode(), other.body());
            // The key in use is not locked out by the flood from its address.
            models(gateway, key).then().statusCode(200);
            GatewayFixture.chat(gateway, key, granted.model(), 4).then().statusCode(200);
            // Another replica keeps its own count: the suite's gateway still answers 401, not 429.
            models(fixture.url, randomKey()).then().statusCode(401);
        } finally {
            suite.stop("gateway-auth");
        }
    }

    /** A chat call to the replica on 127.0.0.1 (so the client's source address is the one its client binds). */
    private static HttpResponse<String> chat(HttpClient client, int port, String key, String model, String padding)
            throws Exception {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Say something about quotas." + padding + "\"}]}";
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                        .version(HttpClient.Version.HTTP_1_1)
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Response models(String gateway, String key) {
        return given().auth().oauth2(key).get(gateway + "/v1/models");
    }

    private static String randomKey() {
        return "va-" + UUID.randomUUID().toString().replace("-", "")
                + UUID.randomUUID().toString().replace("-", "");
    }
}
