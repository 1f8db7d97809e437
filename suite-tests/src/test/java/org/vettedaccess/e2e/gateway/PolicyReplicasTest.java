package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;
import static org.vettedaccess.suite.SuitePorts.freePort;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Two access-policy replicas on one database, each followed by its own gateway: a change made through one replica
 * stops calls through the gateway that follows the other within a second (the replicas follow each other through
 * the change feed well under a second, not on a scheduler that cannot run below one).
 */
@ExtendWith(RunningSuite.class)
class PolicyReplicasTest {

    private static long millisUntil(int status, long since, Supplier<Response> call) {
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
    void aChangeThroughOneReplicaStopsCallsThroughAGatewayFollowingTheOtherWithinASecond(
            LocalSuite suite, Keycloak keycloak) throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        int policyHttp = freePort();
        suite.startPolicyReplica("access-policy-2", policyHttp, freePort(), Map.of());
        String policy2 = "http://localhost:" + policyHttp;
        try {
            int gatewayHttp = freePort();
            suite.startGatewayReplica("gateway-2", gatewayHttp, freePort(), Map.of("ACCESS_POLICY_URL", policy2));
            String gateway2 = "http://localhost:" + gatewayHttp;
            GatewayFixture.Granted granted = gateway.grant("alice", 1);
            String key = gateway.key("alice", null);
            // Warm gateway-2's decision cache and access-policy-2's policy state: the change must drop both.
            GatewayFixture.chat(gateway2, key, granted.model(), 2).then().statusCode(200);
            GatewayFixture.chat(gateway2, key, granted.model(), 2).then().statusCode(200);

            long engagedAt = System.nanoTime();
            given().auth()
                    .oauth2(gateway.policy.admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("scope", "MODEL", "value", granted.model(), "reason", "e2e: replica drill"))
                    .post(gateway.policy.url + "/api/v1/killswitches")
                    .then()
                    .statusCode(200);
            long took = millisUntil(403, engagedAt, () -> GatewayFixture.chat(gateway2, key, granted.model(), 2));
            assertTrue(took < 1_000, "a kill switch engaged on replica 1 stopped gateway-2 after " + took + " ms");
            assertOpenAiError(GatewayFixture.chat(gateway2, key, granted.model(), 2), 403, "kill_switch_engaged");

            // The other way: revoked through replica 2, refused through the first gateway (following replica 1).
            GatewayFixture.Granted second = gateway.grant("alice", 1);
            gateway.chat(key, second.model(), 2).then().statusCode(200);
            gateway.chat(key, second.model(), 2).then().statusCode(200);
            long revokedAt = System.nanoTime();
            given().auth()
                    .oauth2(gateway.policy.admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("reason", "e2e: revoked on replica 2"))
                    .post(policy2 + "/api/v1/grants/" + second.grantId() + "/revoke")
                    .then()
                    .statusCode(200);
            long revokeTook = millisUntil(403, revokedAt, () -> gateway.chat(key, second.model(), 2));
            assertTrue(revokeTook < 1_000, "a revocation on replica 2 stopped gateway 1 after " + revokeTook + " ms");
            assertOpenAiError(gateway.chat(key, second.model(), 2), 403, "grant_revoked");
        } finally {
            suite.stop("gateway-2");
            suite.stop("access-policy-2");
        }
    }
}
