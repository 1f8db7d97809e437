package org.vettedaccess.e2e.policy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RoleMatrix;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/** access-policy's role matrix: every endpoint, called by every kind of caller. */
@ExtendWith(RunningSuite.class)
class AccessPolicyAccessTest {

    @Test
    void everyEndpointAdmitsExactlyItsRoles(LocalSuite suite, Keycloak keycloak) {
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        RoleMatrix matrix = new RoleMatrix(keycloak);
        policy.putModel("matrix-medium", 5e23, List.of()).then().statusCode(200);
        String alice = policy.subjectOf("alice");
        policy.approve(alice, 2, 2);
        String grant = policy.grant(alice, List.of("matrix-medium"), 2, 30)
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        String killSwitch = io.restassured.RestAssured.given()
                .auth()
                .oauth2(policy.admin())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("scope", "MODEL", "value", "matrix-unused", "reason", "matrix"))
                .post(policy.url + "/api/v1/killswitches")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        Map<String, Object> tier1 = io.restassured.RestAssured.given()
                .auth()
                .oauth2(policy.admin())
                .get(policy.url + "/api/v1/tiers")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("[0]");

        // Two pending catalog changes: one paula asked for (she may withdraw it), one pete did (she may confirm it).
        String withdrawable = io.restassured.RestAssured.given()
                .auth()
                .oauth2(policy.admin())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("upstreamRoute", "sim", "trainingFlop", 5e23))
                .put(policy.url + "/api/v1/models/matrix-withdrawn")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String confirmable = io.restassured.RestAssured.given()
                .auth()
                .oauth2(policy.secondAdmin())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("upstreamRoute", "sim", "trainingFlop", 5e23))
                .put(policy.url + "/api/v1/models/matrix-confirmed")
                .then()
                .statusCode(202)
                .extract()
                .path("id");

        Set<String> people = Set.of("alice", "victor", "rita", "paula", "greg");
        Set<String> admin = Set.of("paula");
        Map<String, Object> reason = Map.of("reason", "matrix");
        matrix.check(
                policy.url,
                List.of(
                        new RoleMatrix.Row(
                                "GET", "/api/v1/models", null, plus(plus(people, "sa:gateway"), "sa:kyc-service")),
                        new RoleMatrix.Row("GET", "/api/v1/models/matrix-medium", null, plus(people, "sa:gateway")),
                        new RoleMatrix.Row(
                                "PUT",
                                "/api/v1/models/matrix-medium",
                                Map.of("upstreamRoute", "sim", "trainingFlop", 5e23),
                                admin),
                        new RoleMatrix.Row("GET", "/api/v1/tiers", null, people),
                        new RoleMatrix.Row("PUT", "/api/v1/tiers/1", tier1, admin),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/grants",
                                Map.of(
                                        "subject",
                                        alice,
                                        "models",
                                        List.of("matrix-medium"),
                                        "tier",
                                        2,
                                        "purpose",
                                        "matrix",
                                        "validUntil",
                                        Instant.now().plus(10, ChronoUnit.DAYS).toString()),
                                admin),
                        new RoleMatrix.Row("GET", "/api/v1/grants?subject=" + alice, null, admin),
                        new RoleMatrix.Row("GET", "/api/v1/grants/mine", null, Set.of("alice", "victor")),
                        new RoleMatrix.Row("GET", "/api/v1/grants/" + grant, null, admin),
                        new RoleMatrix.Row("POST", "/api/v1/grants/" + grant + "/suspend", reason, admin),
                        new RoleMatrix.Row("POST", "/api/v1/grants/" + grant + "/reinstate", reason, admin),
                        new RoleMatrix.Row("POST", "/api/v1/grants/" + grant + "/revoke", reason, admin),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/decisions",
                                Map.of(
                                        "subject",
                                        alice,
                                        "model",
                                        "matrix-medium",
                                        "endpoint",
                                        "/v1/chat/completions",
                                        "maxTokens",
                                        10),
                                Set.of("sa:gateway")),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/decisions/entitlements",
                                Map.of("subject", alice),
                                Set.of("sa:gateway")),
                        new RoleMatrix.Row("GET", "/api/v1/changes?after=0&waitMs=0", null, Set.of("sa:gateway")),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/kyc-outcomes",
                                Map.of(
                                        "subject",
                                        "matrix-nobody",
                                        "assuranceLevel",
                                        1,
                                        "approvedTier",
                                        1,
                                        "kycLeaf",
                                        0,
                                        "status",
                                        "APPROVED"),
                                Set.of("sa:kyc-service")),
                        new RoleMatrix.Row("GET", "/api/v1/killswitches", null, admin),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/killswitches",
                                Map.of("scope", "MODEL", "value", "matrix-unused", "reason", "matrix"),
                                admin),
                        new RoleMatrix.Row("POST", "/api/v1/killswitches/" + killSwitch + "/release", null, admin),
                        new RoleMatrix.Row("GET", "/api/v1/change-requests", null, admin),
                        new RoleMatrix.Row("GET", "/api/v1/change-requests/" + withdrawable, null, admin),
                        new RoleMatrix.Row(
                                "POST", "/api/v1/change-requests/" + withdrawable + "/withdraw", null, admin),
                        new RoleMatrix.Row("POST", "/api/v1/change-requests/" + confirmable + "/confirm", null, admin),
                        new RoleMatrix.Row("GET", "/api/v1/caller", null, people)),
                // Tokens of services that do not call access-policy are not addressed to it.
                Set.of("sa:access-policy", "sa:usage-ledger"));
    }

    private static Set<String> plus(Set<String> set, String more) {
        java.util.HashSet<String> all = new java.util.HashSet<>(set);
        all.add(more);
        return all;
    }
}
