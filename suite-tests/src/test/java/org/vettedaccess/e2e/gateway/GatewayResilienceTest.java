package org.vettedaccess.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/** Nothing forwarded goes unrecorded, or is recorded twice, whatever fails: the ledger, the upstream, the client. */
@ExtendWith(RunningSuite.class)
class GatewayResilienceTest {

    @Test
    void callsDuringALedgerOutageReachTheLedgerAfterwardsAndHighTiersFailClosed(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted open = gateway.grant("alice", 1);
        GatewayFixture.Granted closed = gateway.grant("alice", 3);
        String key = gateway.key("alice", null);
        gateway.chat(key, closed.model(), 2).then().statusCode(200);

        List<String> requests = new ArrayList<>();
        suite.stop("usage-ledger");
        try {
            for (int i = 0; i < 5; i++) {
                Response response = gateway.chat(key, open.model(), 3);
                response.then().statusCode(200);
                requests.add(response.header("x-request-id"));
            }
            // Tier 3 fails closed once the gateway has seen that the ledger cannot take records.
            long deadline = System.nanoTime() + 20_000_000_000L;
            Response refused = null;
            while (refused == null && System.nanoTime() < deadline) {
                Response response = gateway.chat(key, closed.model(), 2);
                if (response.statusCode() == 200) {
                    requests.add(response.header("x-request-id"));
                } else {
                    refused = response;
                }
                GatewayFixture.sleep(100);
            }
            assertNotNull(refused, "tier 3 kept being served while the ledger was down");
            assertOpenAiError(refused, 503, "ledger_unavailable");
            assertNotNull(refused.header("Retry-After"));
            // Tier 1 goes on: its records wait in the outbox.
            Response later = gateway.chat(key, open.model(), 3);
            later.then().statusCode(200);
            requests.add(later.header("x-request-id"));
        } finally {
            suite.restart("usage-ledger");
        }
        Set<Long> indices = new HashSet<>();
        for (String request : requests) {
            JsonNode receipt = gateway.deliveredReceipt("alice", request);
            indices.add(receipt.path("ledgerIndex").asLong());
            assertEquals(
                    "usage",
                    gateway.ledgerEntry(receipt.path("ledgerIndex").asLong())
                            .path("type")
                            .asText());
        }
        assertEquals(requests.size(), indices.size(), "each call has its own leaf");
        gateway.chat(key, closed.model(), 2).then().statusCode(200);
    }

    @Test
    void aFailingUpstreamOpensTheBreakerAndNothingIsRecordedTwice(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        Response issued = gateway.issueKey("alice", granted.grantId());
        String key = issued.path("key");
        String keyId = issued.path("apiKey.id");
        int http = freePort();
        suite.startGatewayReplica(
                "gateway-ft",
                http,
                freePort(),
                Map.of(
                        "GATEWAY_UPSTREAM_FIRST_BYTE_TIMEOUT", "1s",
                        "GATEWAY_UPSTREAM_IDLE_TIMEOUT", "1s",
                        "GATEWAY_UPSTREAM_BREAKER_DELAY", "2s"));
        String replica = "http://localhost:" + http;
        int forwarded = 0;
        try {
            // One failure before the first byte is retried: the caller sees a normal answer, recorded once.
            gateway.simFault("ERROR", 1, 0);
            long before = completions(gateway);
            Response retried = GatewayFixture.chat(replica, key, granted.model(), 3);
            retried.then().statusCode(200);
            forwarded++;
            assertEquals(2, completions(gateway) - before, "one failed attempt, one retry");

            // A model server that keeps failing: 503s, then the breaker opens and calls stop reaching it.
            gateway.simFault("ERROR", -1, 0);
            Response shortCircuited = null;
            for (int i = 0; i < 12 && shortCircuited == null; i++) {
                long at = completions(gateway);
                Response response = GatewayFixture.chat(replica, key, granted.model(), 3);
                assertOpenAiError(response, 503, "upstream_unavailable");
                assertNotNull(response.header("Retry-After"));
                if (completions(gateway) == at) {
                    shortCircuited = response;
                } else {
                    forwarded++;
                    // A failure that reached the model is recorded, and its answer names the receipt.
                    assertNotNull(response.header("x-request-id"), "a recorded failure must name its receipt");
                    assertEquals(
                            "upstream_503",
                            gateway.deliveredReceipt("alice", response.header("x-request-id"))
                                    .path("status")
                                    .asText());
                }
            }
            assertNotNull(shortCircuited, "the breaker never opened");

            // The model recovers: after the breaker's delay a trial call goes through and the breaker closes.
            gateway.simFault("NONE", -1, 0);
            long deadline = System.nanoTime() + 15_000_000_000L;
            Response recovered = null;
            while (System.nanoTime() < deadline) {
                Response response = GatewayFixture.chat(replica, key, granted.model(), 3);
                if (response.statusCode() == 200) {
                    recovered = response;
                    break;
                }
                GatewayFixture.sleep(250);
            }
            assertNotNull(recovered, "the breaker did not close after the upstream recovered");
            forwarded++;
            GatewayFixture.chat(replica, key, granted.model(), 3).then().statusCode(200);
            forwarded++;

            // Slow past the first-byte timeout: a 504, recorded once.
            gateway.simFault("SLOW", 1, 3_000);
            Response timedOut = GatewayFixture.chat(replica, key, granted.model(), 3);
            assertOpenAiError(timedOut, 504, "upstream_timeout");
            forwarded++;
            assertEquals(
                    "upstream_timeout",
                    gateway.deliveredReceipt("alice", timedOut.header("x-request-id"))
                            .path("status")
                            .asText());

            // Disconnecting mid-stream: the caller gets what came and an error event; the partial usage is recorded.
            gateway.simFault("DISCONNECT", 1, 0);
            Response broken = io.restassured.RestAssured.given()
                    .header("Authorization", "Bearer " + key)
                    .contentType("application/json")
                    .body(Map.of(
                            "model",
                            granted.model(),
                            "stream",
                            true,
                            "max_tokens",
                            10,
                            "messages",
                            List.of(Map.of("role", "user", "content", "break off please"))))
                    .post(replica + "/v1/chat/completions");
            broken.then().statusCode(200);
            assertTrue(broken.asString().contains("upstream_error"), broken.asString());
            forwarded++;
            JsonNode receipt = gateway.deliveredReceipt("alice", broken.header("x-request-id"));
            assertEquals("upstream_disconnected", receipt.path("status").asText());
        } finally {
            gateway.simFault("NONE", -1, 0);
            suite.stop("gateway-ft");
        }
        // Exactly one leaf per forwarded call: not zero for the failed ones, and not two for the retried one.
        long deadline = System.nanoTime() + 30_000_000_000L;
        long leaves = 0;
        while (System.nanoTime() < deadline) {
            leaves = gateway.usageLeaves().stream()
                    .filter(l -> keyId.equals(l.path("keyId").asText()))
                    .count();
            if (leaves >= forwarded) {
                break;
            }
            GatewayFixture.sleep(250);
        }
        GatewayFixture.sleep(1_000);
        leaves = gateway.usageLeaves().stream()
                .filter(l -> keyId.equals(l.path("keyId").asText()))
                .count();
        assertEquals(forwarded, leaves, "usage leaves for " + forwarded + " forwarded calls");
    }

    @Test
    void aClientThatGoesAwayCancelsTheUpstreamCallAndThePartialUsageIsRecorded(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        String key = gateway.key("alice", null);
        gateway.simFault("STALL", 1, 0);
        String requestId;
        try {
            try (GatewayFixture.RawStream stream =
                    GatewayFixture.RawStream.open(gateway.url, key, granted.model(), 10, "hang on")) {
                assertNotNull(stream.firstChunk(), "the stream started");
                requestId = stream.requestId;
                assertEquals(1, gateway.simStats().path("openStreams").asInt(), "the upstream stream is open");
            }
        } finally {
            gateway.simFault("NONE", -1, 0);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (gateway.simStats().path("openStreams").asInt() > 0 && System.nanoTime() < deadline) {
            GatewayFixture.sleep(50);
        }
        assertEquals(0, gateway.simStats().path("openStreams").asInt(), "the upstream call was cancelled");
        JsonNode receipt = gateway.deliveredReceipt("alice", requestId);
        assertEquals("client_cancelled", receipt.path("status").asText());
        assertTrue(receipt.path("outputTokens").asLong() >= 1, "the tokens streamed before the cancel count");
    }

    private static long completions(GatewayFixture gateway) {
        return gateway.simStats().path("completions").asLong();
    }

    private static int freePort() throws java.io.IOException {
        return org.vettedaccess.suite.SuitePorts.freePort();
    }
}
