package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/**
 * The consistency token (ADR 0098) between two access-policy replicas on one database: replica 2 follows the feed
 * only once an hour (and trusts its memory as long), so on its own it still holds what it read before a restrictive
 * change made through replica 1.
 * Asked with the {@code afterSeq} the gateway has seen on the feed, it applies the change first and answers DENY:
 * the refill of a dropped decision never re-caches a stale ALLOW.
 */
@ExtendWith(RunningSuite.class)
class ReplicaFloorTest {

    private static final String POLICY_2 = "access-policy-floor";
    private static final String CHAT = "/v1/chat/completions";

    @Test
    void aReplicaBehindTheFeedCatchesUpToTheCallersFloorBeforeDeciding(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        int http = SuitePorts.freePort();
        suite.startAccessPolicyReplica(
                POLICY_2, http, SuitePorts.freePort(), Map.of("POLICY_FOLLOW_INTERVAL", "1h", "POLICY_MAX_LAG", "1h"));
        String replica1 = gateway.policy.url;
        String replica2 = "http://localhost:" + http;
        String token = gateway.policy.gateway();
        try {
            // A grant revoked through replica 1.
            GatewayFixture.Granted revoked = gateway.grant("alice", 1);
            assertEquals("ALLOW", decision(replica2, token, revoked, feedPosition(replica1, token)));
            gateway.policy
                    .change(gateway.policy.admin(), revoked.grantId(), "revoke")
                    .then()
                    .statusCode(200);
            long seen = feedPosition(replica1, token);
            assertEquals(
                    "grant_revoked",
                    decision(replica2, token, revoked, seen),
                    "replica 2, asked with the sequence the gateway has seen, applies the revocation first");

            // A MODEL kill switch engaged through replica 1.
            GatewayFixture.Granted killed = gateway.grant("alice", 1);
            assertEquals("ALLOW", decision(replica2, token, killed, feedPosition(replica1, token)));
            given().auth()
                    .oauth2(gateway.policy.admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("scope", "MODEL", "value", killed.model(), "reason", "e2e: the consistency token"))
                    .post(replica1 + "/api/v1/killswitches")
                    .then()
                    .statusCode(200);
            assertEquals(
                    "ALLOW",
                    decision(replica2, token, killed, null),
                    "without a floor replica 2 is still behind (it follows once an hour): the window the token closes");
            assertEquals("kill_switch_engaged", decision(replica2, token, killed, feedPosition(replica1, token)));

            // A floor beyond the newest change that exists is not waited for.
            long start = System.nanoTime();
            assertEquals(
                    "grant_revoked", decision(replica2, token, revoked, feedPosition(replica1, token) + 1_000_000));
            long took = (System.nanoTime() - start) / 1_000_000;
            org.junit.jupiter.api.Assertions.assertTrue(took < 1_000, "answered in " + took + " ms");
        } finally {
            suite.stop(POLICY_2);
        }
    }

    /** Where the feed is now, as a gateway subscribing would learn it (read from replica 1, so replica 2 learns nothing). */
    private static long feedPosition(String replica, String token) {
        return given().auth()
                .oauth2(token)
                .get(replica + "/api/v1/changes")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("next");
    }

    /** ALLOW, or the deny's first reason, as the gateway's service account asks it. */
    private static String decision(String replica, String token, GatewayFixture.Granted granted, Long afterSeq) {
        Map<String, Object> body = new HashMap<>(
                Map.of("subject", granted.subject(), "model", granted.model(), "endpoint", CHAT, "maxTokens", 16));
        if (afterSeq != null) {
            body.put("afterSeq", afterSeq);
        }
        Response response = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .post(replica + "/api/v1/decisions");
        response.then().statusCode(200);
        String decision = response.path("decision");
        if (decision.equals("ALLOW")) {
            return "ALLOW";
        }
        List<String> reasons = response.jsonPath().getList("reasons");
        return reasons.get(0);
    }
}
