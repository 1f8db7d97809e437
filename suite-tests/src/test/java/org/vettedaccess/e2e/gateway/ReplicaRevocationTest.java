package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/**
 * Two access-policy replicas and two gateway replicas, each gateway following a different access-policy: a kill
 * switch, a grant revocation and a key revocation made through one replica are refused through every gateway
 * within 1 s (ledger up).
 */
@ExtendWith(RunningSuite.class)
class ReplicaRevocationTest {

    private static final String POLICY_2 = "access-policy-r2";
    private static final String GATEWAY_2 = "gateway-r2";

    @Test
    void restrictiveChangesThroughOneReplicaReachEveryGatewayWithinASecond(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        int policyHttp = SuitePorts.freePort();
        suite.startAccessPolicyReplica(POLICY_2, policyHttp, SuitePorts.freePort(), Map.of());
        String policy1 = gateway.policy.url;
        String policy2 = "http://localhost:" + policyHttp;
        try {
            int gatewayHttp = SuitePorts.freePort();
            // The first gateway follows access-policy replica 1 (the suite's own); this one follows replica 2.
            suite.startGatewayReplica(
                    GATEWAY_2, gatewayHttp, SuitePorts.freePort(), Map.of("ACCESS_POLICY_URL", policy2));
            List<String> gateways = List.of(gateway.url, "http://localhost:" + gatewayHttp);
            try {
                killSwitch(gateway, gateways, policy2);
                grantRevocation(gateway, gateways, policy1);
                keyRevocation(gateway, gateways);
            } finally {
                suite.stop(GATEWAY_2);
            }
        } finally {
            suite.stop(POLICY_2);
        }
    }

    /** Engaged through replica 2: the gateway following replica 1 must hear of it too. */
    private static void killSwitch(GatewayFixture gateway, List<String> gateways, String through) {
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        String key = gateway.key("alice", null);
        warm(gateways, key, granted.model());
        String bearer1 = gateway.policy.admin(); // fetched before the clock starts
        long engagedAt = System.nanoTime();
        given().auth()
                .oauth2(bearer1)
                .contentType(ContentType.JSON)
                .body(Map.of("scope", "MODEL", "value", granted.model(), "reason", "e2e: replicas drill"))
                .post(through + "/api/v1/killswitches")
                .then()
                .statusCode(200);
        assertRefusedEverywhere(
                "kill switch",
                gateways,
                engagedAt,
                403,
                "kill_switch_engaged",
                g -> GatewayFixture.chat(g, key, granted.model(), 2));
    }

    /** Revoked through replica 1: the gateway following replica 2 must hear of it too. */
    private static void grantRevocation(GatewayFixture gateway, List<String> gateways, String through) {
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        String key = gateway.key("alice", null);
        warm(gateways, key, granted.model());
        String bearer2 = gateway.policy.admin(); // fetched before the clock starts
        long revokedAt = System.nanoTime();
        given().auth()
                .oauth2(bearer2)
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "e2e replicas revoke"))
                .post(through + "/api/v1/grants/" + granted.grantId() + "/revoke")
                .then()
                .statusCode(200);
        assertRefusedEverywhere(
                "grant revocation",
                gateways,
                revokedAt,
                403,
                "grant_revoked",
                g -> GatewayFixture.chat(g, key, granted.model(), 2));
    }

    /** Revoked through the second gateway: the first, which cached the key, must refuse it too. */
    private static void keyRevocation(GatewayFixture gateway, List<String> gateways) {
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        Response issued = gateway.issueKey("alice", granted.grantId());
        issued.then().statusCode(201);
        String key = issued.path("key");
        String id = issued.path("apiKey.id");
        warm(gateways, key, granted.model());
        String bearer3 = gateway.token("alice"); // fetched before the clock starts
        long revokedAt = System.nanoTime();
        given().auth()
                .oauth2(bearer3)
                .post(gateways.get(1) + "/api/v1/keys/" + id + "/revoke")
                .then()
                .statusCode(200);
        assertRefusedEverywhere(
                "key revocation", gateways, revokedAt, 401, null, g -> GatewayFixture.chat(g, key, granted.model(), 2));
    }

    /** Twice through each gateway, so decisions and keys are cached and the test shows the caches dropping them. */
    private static void warm(List<String> gateways, String key, String model) {
        for (String target : gateways) {
            for (int i = 0; i < 2; i++) {
                GatewayFixture.chat(target, key, model, 2).then().statusCode(200);
            }
        }
    }

    /**
     * Calls through every gateway in turn, every 50 ms (well within the tier's 60 RPM, which a tight loop would
     * exhaust into 429s), until each has refused or 1.5 s have passed; then each must have refused within 1 s of
     * the change, with the expected problem, and go on refusing.
     */
    private static void assertRefusedEverywhere(
            String change,
            List<String> gateways,
            long since,
            int status,
            String code,
            Function<String, Response> call) {
        Map<String, Long> refusedAfter = new java.util.LinkedHashMap<>();
        Map<String, Response> last = new java.util.HashMap<>();
        while (refusedAfter.size() < gateways.size() && System.nanoTime() - since < 1_500_000_000L) {
            for (String target : gateways) {
                if (!refusedAfter.containsKey(target)) {
                    Response response = call.apply(target);
                    last.put(target, response);
                    if (response.statusCode() == status) {
                        refusedAfter.put(target, (System.nanoTime() - since) / 1_000_000);
                    }
                }
            }
            GatewayFixture.sleep(50);
        }
        System.out.printf("[replicas] %s refused after (ms, by gateway): %s%n", change, refusedAfter);
        for (String target : gateways) {
            Long took = refusedAfter.get(target);
            assertTrue(
                    took != null && took < 1_000,
                    change + " did not reach " + target + " within 1 s (refused after " + took + " ms; last answer "
                            + last.get(target).statusCode() + " "
                            + last.get(target).asString() + ")");
            if (code != null) {
                assertOpenAiError(last.get(target), status, code);
            }
            assertTrue(call.apply(target).statusCode() == status, change + " undone at " + target);
        }
    }
}
