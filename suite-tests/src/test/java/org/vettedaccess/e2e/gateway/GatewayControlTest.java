package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Problems;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/** Keys, revocation, the kill switch and quotas held across two gateway replicas. */
@ExtendWith(RunningSuite.class)
class GatewayControlTest {

    /** Calls until the answer is {@code status}; returns how long after {@code since} (nanoTime) that took, in ms. */
    private static long millisUntil(int status, long since, java.util.function.Supplier<Response> call) {
        while (true) {
            Response response = call.get();
            long elapsed = (System.nanoTime() - since) / 1_000_000;
            if (response.statusCode() == status) {
                return elapsed;
            }
            if (elapsed > 5_000) {
                throw new AssertionError("still " + response.statusCode() + " after 5 s: " + response.asString());
            }
        }
    }

    @Test
    void keysAreOwnedShownOnceRotatedWithGraceAndRevokedWithinASecond(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        Response issued = gateway.issueKey("alice", granted.grantId());
        issued.then()
                .statusCode(201)
                .body("apiKey.status", org.hamcrest.Matchers.equalTo("ACTIVE"))
                .body("apiKey.grantId", org.hamcrest.Matchers.equalTo(granted.grantId()));
        String key = issued.path("key");
        String id = issued.path("apiKey.id");

        // The list never shows the secret; another researcher cannot see or touch the key.
        String list = given().auth()
                .oauth2(gateway.token("alice"))
                .get(gateway.url + "/api/v1/keys")
                .asString();
        assertTrue(list.contains(id) && !list.contains(key), list);
        String victors = given().auth()
                .oauth2(gateway.token("victor"))
                .get(gateway.url + "/api/v1/keys")
                .asString();
        assertTrue(!victors.contains(id), victors);
        Problems.assertProblem(
                given().auth().oauth2(gateway.token("victor")).post(gateway.url + "/api/v1/keys/" + id + "/revoke"),
                404,
                "not-found");
        Problems.assertProblem(
                given().auth().oauth2(gateway.token("greg")).get(gateway.url + "/api/v1/keys"), 403, "forbidden");
        Problems.assertProblem(given().get(gateway.url + "/api/v1/keys"), 401, "unauthenticated");
        // A researcher without a current grant gets no key; one bound to someone else's grant is refused.
        Problems.assertProblem(gateway.issueKey("victor", granted.grantId()), 400, "invalid-request");
        Problems.assertProblem(
                given().auth()
                        .oauth2(gateway.token("alice"))
                        .contentType(ContentType.JSON)
                        .body(Map.of("name", "too long", "expiresInDays", 10_000))
                        .post(gateway.url + "/api/v1/keys"),
                400,
                "invalid-request");

        gateway.chat(key, granted.model(), 2).then().statusCode(200);

        // Rotation: a new key works at once and the old one keeps working through the grace period.
        Response rotated =
                given().auth().oauth2(gateway.token("alice")).post(gateway.url + "/api/v1/keys/" + id + "/rotate");
        rotated.then().statusCode(201).body("previous.status", org.hamcrest.Matchers.equalTo("ROTATING"));
        String next = rotated.path("key");
        String nextId = rotated.path("apiKey.id");
        gateway.chat(next, granted.model(), 2).then().statusCode(200);
        gateway.chat(key, granted.model(), 2).then().statusCode(200);

        // Revocation mid-session: the next call is refused within a second.
        String bearer1 = gateway.token("alice"); // fetched before the clock starts
        long revokedAt = System.nanoTime();
        given().auth()
                .oauth2(bearer1)
                .post(gateway.url + "/api/v1/keys/" + nextId + "/revoke")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("REVOKED"));
        long took = millisUntil(401, revokedAt, () -> gateway.chat(next, granted.model(), 2));
        assertTrue(took < 1_000, "revoked key refused after " + took + " ms");
        Problems.assertProblem(
                given().auth().oauth2(gateway.token("alice")).post(gateway.url + "/api/v1/keys/" + nextId + "/revoke"),
                409,
                "conflict");

        // Every issue and revoke is a ledger leaf.
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<String> kinds = List.of();
        while (System.nanoTime() < deadline) {
            kinds = keyLeaves(gateway, List.of(id, nextId));
            if (kinds.size() == 4) {
                break;
            }
            GatewayFixture.sleep(200);
        }
        assertEquals(
                List.of("key.issued", "key.issued", "key.revoked", "key.revoked"),
                kinds.stream().sorted().toList());
    }

    private static List<String> keyLeaves(GatewayFixture gateway, List<String> keyIds) {
        List<String> kinds = new ArrayList<>();
        String token = gateway.keycloak.userToken("greg");
        for (String type : List.of("key.issued", "key.revoked")) {
            Response page = given().auth()
                    .oauth2(token)
                    .queryParam("type", type)
                    .queryParam("limit", 500)
                    .get(gateway.policy.ledger.url() + "/api/v1/entries");
            GatewayFixture.read(page.asString()).path("entries").forEach(e -> {
                if (keyIds.contains(e.path("entry").path("keyId").asText())) {
                    kinds.add(e.path("entry").path("type").asText(type));
                }
            });
        }
        return kinds;
    }

    @Test
    void aRevokedGrantAndAnEngagedKillSwitchStopCallsWithinASecond(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        String key = gateway.key("alice", null);
        // Warm the decision cache, so the test shows the change feed dropping it.
        gateway.chat(key, granted.model(), 2).then().statusCode(200);
        gateway.chat(key, granted.model(), 2).then().statusCode(200);

        String bearer2 = gateway.policy.admin(); // fetched before the clock starts
        long engagedAt = System.nanoTime();
        given().auth()
                .oauth2(bearer2)
                .contentType(ContentType.JSON)
                .body(Map.of("scope", "MODEL", "value", granted.model(), "reason", "e2e: gateway drill"))
                .post(gateway.policy.url + "/api/v1/killswitches")
                .then()
                .statusCode(200);
        long took = millisUntil(403, engagedAt, () -> gateway.chat(key, granted.model(), 2));
        assertTrue(took < 1_000, "kill switch applied after " + took + " ms");
        assertOpenAiError(gateway.chat(key, granted.model(), 2), 403, "kill_switch_engaged");

        GatewayFixture.Granted second = gateway.grant("alice", 1);
        gateway.chat(key, second.model(), 2).then().statusCode(200);
        gateway.chat(key, second.model(), 2).then().statusCode(200);
        long revokedAt = System.nanoTime();
        gateway.policy
                .change(gateway.policy.admin(), second.grantId(), "revoke")
                .then()
                .statusCode(200);
        long revokeTook = millisUntil(403, revokedAt, () -> gateway.chat(key, second.model(), 2));
        assertTrue(revokeTook < 1_000, "grant revocation applied after " + revokeTook + " ms");
        assertOpenAiError(gateway.chat(key, second.model(), 2), 403, "grant_revoked");
    }

    @Test
    void twoGatewaysSharingRedisHoldTheQuotaTogether(LocalSuite suite, Keycloak keycloak) throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = gateway.grant("alice", 3);
        String key = gateway.key("alice", granted.grantId());
        int http = freePort();
        int management = freePort();
        suite.startGatewayReplica("gateway-2", http, management, Map.of());
        try {
            String[] gateways = {gateway.url, "http://localhost:" + http};
            // Warm both replicas on another grant, so neither is slow to its first call in the burst.
            GatewayFixture.Granted warmUp = gateway.grant("alice", 1);
            for (String target : gateways) {
                GatewayFixture.chat(target, key(gateway, warmUp), warmUp.model(), 2)
                        .then()
                        .statusCode(200);
            }
            // Tier 3 allows 10 requests a minute. Alternating calls: each replica alone would admit 10.
            int[] perGateway = new int[2];
            int ok = 0;
            for (int i = 0; i < 16; i++) {
                Response response = GatewayFixture.chat(gateways[i % 2], key, granted.model(), 2);
                if (response.statusCode() == 200) {
                    ok++;
                    perGateway[i % 2]++;
                } else {
                    assertOpenAiError(response, 429, "rate_limit_exceeded");
                }
            }
            // The bucket refills at 10 a minute: at most one more may slip in while the calls run.
            assertTrue(ok >= 10 && ok <= 11, "admitted " + ok + " of 16 across two replicas (limit 10)");
            assertTrue(perGateway[0] >= 5 && perGateway[1] >= 5, "both replicas served calls");

            // A concurrent burst on a fresh grant: still no more than the limit, whichever replica answers.
            GatewayFixture.Granted burst = gateway.grant("alice", 3);
            String burstKey = key(gateway, burst);
            ExecutorService pool = Executors.newFixedThreadPool(10);
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String target = gateways[i % 2];
                calls.add(pool.submit(() -> GatewayFixture.chat(target, burstKey, burst.model(), 2)));
            }
            int admitted = 0;
            for (Future<Response> call : calls) {
                Response response = call.get();
                if (response.statusCode() == 200) {
                    admitted++;
                } else {
                    assertOpenAiError(response, 429, "rate_limit_exceeded");
                }
            }
            pool.shutdown();
            assertTrue(admitted >= 10 && admitted <= 11, "admitted " + admitted + " of 30 concurrent (limit 10)");
        } finally {
            suite.stop("gateway-2");
        }
    }

    @Test
    void theTokenBudgetHoldsAndSurvivesRedisAndGatewayRestarts(LocalSuite suite, Keycloak keycloak) throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        com.fasterxml.jackson.databind.node.ObjectNode tier2 = gateway.tier(2);
        String original = tier2.toString();
        try {
            gateway.putTier(tier2.deepCopy().put("tokenBudget", 300));
            GatewayFixture.Granted granted = gateway.grant("alice", 2);
            String key = gateway.key("alice", granted.grantId());
            List<String> served = new ArrayList<>();
            Response exhausted = null;
            for (int i = 0; i < 20 && exhausted == null; i++) {
                Response response = gateway.chat(key, granted.model(), 40);
                if (response.statusCode() == 200) {
                    served.add(response.header("x-request-id"));
                } else {
                    exhausted = response;
                }
            }
            assertOpenAiError(exhausted, 429, "insufficient_quota");
            assertTrue(served.size() >= 3, "some calls fit in the budget: " + served.size());
            long used = 0;
            for (String request : served) {
                com.fasterxml.jackson.databind.JsonNode receipt = gateway.deliveredReceipt("alice", request);
                used += receipt.path("inputTokens").asLong()
                        + receipt.path("outputTokens").asLong();
            }
            assertTrue(used <= 300, "spent " + used + " of a 300-token budget");
            assertEquals(used, gateway.spent(granted.grantId()), "the durable budget counts exactly what was used");
            // The researcher sees it too, and nobody else does.
            given().auth()
                    .oauth2(gateway.token("alice"))
                    .get(gateway.url + "/api/v1/usage/grants")
                    .then()
                    .statusCode(200)
                    .body(
                            "find { it.grantId == '" + granted.grantId() + "' }.spent",
                            org.hamcrest.Matchers.equalTo((int) used))
                    .body(
                            "find { it.grantId == '" + granted.grantId() + "' }.remaining",
                            org.hamcrest.Matchers.equalTo((int) (300 - used)));
            String victors = given().auth()
                    .oauth2(gateway.token("victor"))
                    .get(gateway.url + "/api/v1/usage/grants")
                    .asString();
            assertTrue(!victors.contains(granted.grantId()), victors);
            Problems.assertProblem(
                    given().auth().oauth2(gateway.token("greg")).get(gateway.url + "/api/v1/usage/grants"),
                    403,
                    "forbidden");

            // Redis keeps nothing on disk: restarting it must not hand the budget back.
            suite.stop("redis");
            suite.restart("redis");
            assertOpenAiError(afterRestart(gateway, key, granted.model()), 429, "insufficient_quota");
            // Nor may a gateway restart.
            suite.stop("gateway");
            suite.restart("gateway");
            assertOpenAiError(afterRestart(gateway, key, granted.model()), 429, "insufficient_quota");
            assertEquals(used, gateway.spent(granted.grantId()));
        } finally {
            gateway.putTier((com.fasterxml.jackson.databind.node.ObjectNode) GatewayFixture.read(original));
        }
    }

    /** The first answer that is not a 503 while a restarted part comes back. */
    private static Response afterRestart(GatewayFixture gateway, String key, String model) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Response response = gateway.chat(key, model, 40);
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            GatewayFixture.sleep(200);
            response = gateway.chat(key, model, 40);
        }
        return response;
    }

    private static String key(GatewayFixture gateway, GatewayFixture.Granted granted) {
        return gateway.key(granted.user(), granted.grantId());
    }

    private static int freePort() throws java.io.IOException {
        return org.vettedaccess.suite.SuitePorts.freePort();
    }
}
