package org.vettedaccess.e2e.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.support.Problems.assertProblem;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.EmbeddedDatabase;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuiteException;

/** access-policy through the running suite: catalog, assurance gate, grants, decisions, revocation, kill switch. */
@ExtendWith(RunningSuite.class)
class AccessPolicyTest {

    @Test
    void theCatalogDerivesRiskAndRefusesATierBelowIt(LocalSuite suite, Keycloak keycloak) {
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        policy.putModel("cat-small", 1e22, List.of())
                .then()
                .statusCode(200)
                .body("riskClass", equalTo("STANDARD"))
                .body("requiredTier", equalTo(1));
        policy.putModel("cat-flagged", 1e22, List.of("cyber-uplift"))
                .then()
                .statusCode(200)
                .body("riskClass", equalTo("SYSTEMIC"))
                .body("requiredTier", equalTo(3));
        policy.putModel("cat-frontier", 3e25, List.of()).then().statusCode(200).body("riskClass", equalTo("SYSTEMIC"));
        given().auth()
                .oauth2(policy.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("upstreamRoute", "sim", "trainingFlop", 3e25, "requiredTier", 1))
                .put(policy.url + "/api/v1/models/cat-frontier")
                .then()
                .statusCode(400)
                .body("detail", containsString("'requiredTier'"));
        assertProblem(policy.putModel("cat-bad", -1, List.of()), 400, "invalid-request");
        policy.putModel("cat-bad", -1, List.of()).then().body("detail", containsString("'trainingFlop'"));
        assertProblem(
                given().auth()
                        .oauth2(policy.admin())
                        .contentType(ContentType.JSON)
                        .body("{not json")
                        .put(policy.url + "/api/v1/models/cat-bad"),
                400,
                "malformed-request");
    }

    @Test
    void grantsFollowTheAssuranceGateAndAreLedgerLeavesNamingTheKycDecision(LocalSuite suite, Keycloak keycloak) {
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        policy.putModel("gate-medium", 5e23, List.of()).then().statusCode(200);
        policy.putModel("gate-frontier", 3e25, List.of()).then().statusCode(200);
        String alice = policy.subjectOf("alice");
        long kycLeaf = policy.approve(alice, 2, 2);

        Response issued = policy.grant(alice, List.of("gate-medium"), 2, 30);
        issued.then()
                .statusCode(200)
                .body("status", equalTo("ACTIVE"))
                .body("leafIndex", notNullValue())
                .body("kycLeaf", equalTo((int) kycLeaf));
        long leaf = issued.jsonPath().getLong("leafIndex");
        given().auth()
                .oauth2(keycloak.userToken("greg"))
                .get(policy.ledger.url() + "/api/v1/entries/" + leaf)
                .then()
                .statusCode(200)
                .body("type", equalTo("grant.issued"))
                .body("entry.kycLeaf", equalTo((int) kycLeaf));

        Response tooHigh = policy.grant(alice, List.of("gate-frontier"), 3, 30);
        assertProblem(tooHigh, 422, "policy-refused");
        tooHigh.then().body("detail", containsString("assurance level 2 is below tier 3's minimum of 3"));
        policy.grant(alice, List.of("gate-frontier"), 2, 30)
                .then()
                .statusCode(422)
                .body("detail", containsString("requires tier 3"));
        policy.grant(alice, List.of("gate-medium"), 2, 400)
                .then()
                .statusCode(422)
                .body("detail", containsString("at most 180 days"));
        String victor = policy.subjectOf("victor");
        policy.grant(victor, List.of("gate-medium"), 2, 30)
                .then()
                .statusCode(422)
                .body("detail", containsString("no current KYC approval"));

        given().auth()
                .oauth2(keycloak.userToken("alice"))
                .get(policy.url + "/api/v1/grants/mine")
                .then()
                .statusCode(200)
                .body("subject.unique()", equalTo(List.of(alice)));
    }

    @Test
    void decisionsAllowOnlyWithinACurrentGrantAndNameEveryDenyReason(LocalSuite suite, Keycloak keycloak) {
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        policy.putModel("dec-medium", 5e23, List.of()).then().statusCode(200);
        policy.putModel("dec-other", 5e23, List.of()).then().statusCode(200);
        String alice = policy.subjectOf("alice");
        policy.approve(alice, 2, 2);
        String grantId = policy.grant(alice, List.of("dec-medium"), 2, 30)
                .then()
                .statusCode(200)
                .extract()
                .path("id");

        Response allow = policy.decide(alice, "dec-medium", "/v1/chat/completions", 1000);
        allow.then()
                .statusCode(200)
                .body("decision", equalTo("ALLOW"))
                .body("grantId", equalTo(grantId))
                .body("limits.rpm", equalTo(30))
                .body("limits.tokenBudget", equalTo(5_000_000))
                .body("grantLeaf", notNullValue())
                .body("policyVersion", notNullValue())
                .body("failClosedOnLedgerOutage", equalTo(true));
        assertEquals("unknown_model", policy.decision(alice, "no-such-model"));
        assertEquals("no_grant", policy.decision(alice, "dec-other"));
        assertEquals("no_grant", policy.decision(policy.subjectOf("victor"), "dec-medium"));
        policy.decide(alice, "dec-medium", "/v1/chat/completions", 100_000)
                .then()
                .body("reasons[0]", equalTo("max_tokens_exceeded"));
        policy.decide(alice, "dec-medium", "/v1/images", 10).then().body("reasons[0]", equalTo("endpoint_not_allowed"));

        policy.change(policy.admin(), grantId, "suspend").then().statusCode(200).body("status", equalTo("SUSPENDED"));
        assertEquals("grant_suspended", policy.decision(alice, "dec-medium"));
        policy.change(policy.admin(), grantId, "reinstate").then().statusCode(200);
        assertEquals("ALLOW", policy.decision(alice, "dec-medium"));
        policy.change(policy.admin(), grantId, "revoke").then().statusCode(200);
        assertEquals("grant_revoked", policy.decision(alice, "dec-medium"));
        assertProblem(policy.change(policy.admin(), grantId, "revoke"), 409, "conflict");

        given().auth()
                .oauth2(policy.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("upstreamRoute", "sim", "trainingFlop", 5e23, "status", "SUSPENDED"))
                .put(policy.url + "/api/v1/models/dec-other")
                .then()
                .statusCode(200);
        assertEquals("model_suspended", policy.decision(alice, "dec-other"));
    }

    @Test
    void aRevocationReachesAFeedSubscriberWithinOneSecond(LocalSuite suite, Keycloak keycloak) throws Exception {
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        policy.putModel("feed-medium", 5e23, List.of()).then().statusCode(200);
        String alice = policy.subjectOf("alice");
        policy.approve(alice, 2, 2);
        String grantId = policy.grant(alice, List.of("feed-medium"), 2, 30)
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        String gateway = policy.gateway();
        long start = given().auth()
                .oauth2(gateway)
                .get(policy.url + "/api/v1/changes")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("next");
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() ->
                given().auth().oauth2(gateway).get(policy.url + "/api/v1/changes?after=" + start + "&waitMs=10000"));
        Thread.sleep(300);
        long revokedAt = System.nanoTime();
        policy.change(policy.admin(), grantId, "revoke").then().statusCode(200);
        Response changes = waiting.get(15, TimeUnit.SECONDS);
        long seenAfterMillis = (System.nanoTime() - revokedAt) / 1_000_000;
        changes.then()
                .statusCode(200)
                .body("changes.kind", org.hamcrest.Matchers.hasItem("grant.revoked"))
                .body("changes.grantId", org.hamcrest.Matchers.hasItem(grantId));
        assertTrue(seenAfterMillis < 1000, "the subscriber saw the revocation after " + seenAfterMillis + " ms");
    }

    @Test
    void theKillSwitchStopsEveryScopeAndNeedsASecondAdminToRelease(LocalSuite suite, Keycloak keycloak) {
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        policy.putModel("kill-medium", 5e23, List.of()).then().statusCode(200);
        String alice = policy.subjectOf("alice");
        policy.approve(alice, 2, 2);
        policy.grant(alice, List.of("kill-medium"), 2, 30).then().statusCode(200);
        assertEquals("ALLOW", policy.decision(alice, "kill-medium"));
        Keycloak.ProbeClient secondAdmin = keycloak.probeClient(List.of("access-policy"), "policy-admin", 300);
        String second = keycloak.clientToken(secondAdmin.clientId(), secondAdmin.secret());

        for (Map<String, Object> scope : List.of(
                Map.<String, Object>of("scope", "GLOBAL"),
                Map.<String, Object>of("scope", "MODEL", "value", "kill-medium"),
                Map.<String, Object>of("scope", "TIER", "value", "2"),
                Map.<String, Object>of("scope", "INSTITUTION", "value", PolicyFixture.ALICE_ROR),
                Map.<String, Object>of("scope", "COUNTRY", "value", PolicyFixture.ALICE_COUNTRY))) {
            Map<String, Object> body = new java.util.HashMap<>(scope);
            body.put("reason", "e2e drill " + scope.get("scope"));
            Response engaged = given().auth()
                    .oauth2(policy.admin())
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post(policy.url + "/api/v1/killswitches");
            // Engaging is restrictive: in force at once, its leaf delivered from the outbox right after.
            engaged.then().statusCode(200).body("state", equalTo("ENGAGED"));
            String id = engaged.path("id");
            assertEquals("kill_switch_engaged", policy.decision(alice, "kill-medium"), "scope " + scope);

            given().auth()
                    .oauth2(policy.admin())
                    .post(policy.url + "/api/v1/killswitches/" + id + "/release")
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("RELEASE_REQUESTED"));
            assertEquals("kill_switch_engaged", policy.decision(alice, "kill-medium"), "still engaged until confirmed");
            assertProblem(
                    given().auth().oauth2(policy.admin()).post(policy.url + "/api/v1/killswitches/" + id + "/release"),
                    409,
                    "conflict");
            // Releasing is permissive: the engaged leaf is in the ledger first, then the release's.
            Response released =
                    given().auth().oauth2(second).post(policy.url + "/api/v1/killswitches/" + id + "/release");
            released.then()
                    .statusCode(200)
                    .body("state", equalTo("RELEASED"))
                    .body("engagedLeaf", notNullValue())
                    .body("releasedLeaf", notNullValue());
            assertTrue(((Number) released.path("engagedLeaf")).longValue()
                    < ((Number) released.path("releasedLeaf")).longValue());
            assertEquals("ALLOW", policy.decision(alice, "kill-medium"), "released: " + scope);
        }
        policy.decision(alice, "kill-medium");
        given().auth()
                .oauth2(policy.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("scope", "COUNTRY", "value", "Germany", "reason", "bad"))
                .post(policy.url + "/api/v1/killswitches")
                .then()
                .statusCode(400)
                .body("detail", containsString("'value'"));
    }

    @Test
    void aDecisionFailsClosedWhenItsDatabaseIsDown(LocalSuite suite, Keycloak keycloak) throws SuiteException {
        org.junit.jupiter.api.Assumptions.assumeTrue(suite.embeddedDatabase().isPresent());
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        policy.putModel("down-medium", 5e23, List.of()).then().statusCode(200);
        String alice = policy.subjectOf("alice");
        policy.approve(alice, 2, 2);
        policy.grant(alice, List.of("down-medium"), 2, 30).then().statusCode(200);
        String gateway = policy.gateway();
        assertEquals("ALLOW", policy.decision(alice, "down-medium"));
        EmbeddedDatabase database = suite.embeddedDatabase().get();
        database.stop();
        try {
            // The subject's rows and the catalog are in memory (ADR 0098), trusted for at most policy.max-lag (1 s)
            // after the last successful read of the feed; then a decision reads the feed itself, and fails closed.
            long stoppedAt = System.nanoTime();
            Response decision;
            do {
                decision = given().auth()
                        .oauth2(gateway)
                        .contentType(ContentType.JSON)
                        .body(Map.of(
                                "subject",
                                alice,
                                "model",
                                "down-medium",
                                "endpoint",
                                "/v1/chat/completions",
                                "maxTokens",
                                100))
                        .post(policy.url + "/api/v1/decisions");
                decision.then().statusCode(200);
            } while (!"DENY".equals(decision.path("decision")) && System.nanoTime() - stoppedAt < 3_000_000_000L);
            decision.then().body("decision", equalTo("DENY")).body("reasons[0]", equalTo("internal_error"));
        } finally {
            database.start();
            awaitPermissiveChangesAgain(policy);
        }
    }

    /**
     * Hands the shared suite back whole: after the database restart Keycloak, the ledger and access-policy take a few
     * seconds to serve again, and a permissive change (which needs all three) made by the next test must not meet
     * that window.
     */
    private static void awaitPermissiveChangesAgain(PolicyFixture policy) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        for (int attempt = 0; ; attempt++) {
            int status = policy.putModel("db-back-" + java.util.UUID.randomUUID(), 5e23, List.of())
                    .statusCode();
            if (status == 200 || System.nanoTime() > deadline) {
                assertEquals(200, status, "permissive changes work again after the database restart");
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
