package org.vettedaccess.e2e.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.support.Problems.assertProblem;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/** Grants issued by a KYC approval where the tier allows it, and grants that expire into the ledger. */
@ExtendWith(RunningSuite.class)
class GrantLifecycleTest {

    private static Map<String, Object> approval(String subject, long kycLeaf, Integer tier, List<String> models) {
        Map<String, Object> outcome = new HashMap<>();
        outcome.put("subject", subject);
        outcome.put("assuranceLevel", 2);
        outcome.put("approvedTier", 2);
        outcome.put("kycLeaf", kycLeaf);
        outcome.put("status", "APPROVED");
        outcome.put("validUntil", Instant.now().plus(200, ChronoUnit.DAYS).toString());
        outcome.put("requestedModels", models);
        outcome.put("purpose", "Measuring refusal consistency across languages for a peer-reviewed study.");
        if (tier != null) {
            outcome.put("requestedTier", tier);
        }
        return outcome;
    }

    private static Response report(PolicyFixture policy, Map<String, Object> outcome) {
        return given().auth()
                .oauth2(policy.kycService())
                .contentType(ContentType.JSON)
                .body(outcome)
                .post(policy.url + "/api/v1/kyc-outcomes");
    }

    @Test
    void anApprovalIssuesTheGrantAppliedForWhereTheTierAllowsIt(LocalSuite suite, Keycloak keycloak) throws Exception {
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String small = "auto-small-" + UUID.randomUUID().toString().substring(0, 8);
        String medium = "auto-medium-" + UUID.randomUUID().toString().substring(0, 8);
        policy.putModel(small, 1e22, List.of()).then().statusCode(200);
        policy.putModel(medium, 5e23, List.of()).then().statusCode(200);
        String alice = policy.subjectOf("alice");
        long kycLeaf = policy.ledger
                .appendOk(List.of(Ledger.item("kyc.decision", Ledger.kycDecision(alice))))
                .get(0);

        Response issued = report(policy, approval(alice, kycLeaf, 1, List.of(small)));
        issued.then()
                .statusCode(200)
                .body("refused", nullValue())
                .body("grant.status", equalTo("ACTIVE"))
                .body("grant.tier", equalTo(1))
                .body("grant.models", equalTo(List.of(small)))
                .body("grant.kycLeaf", equalTo((int) kycLeaf));
        String grantId = issued.path("grant.id");
        assertEquals("ALLOW", policy.decision(alice, small));
        Response leaf = given().auth()
                .oauth2(keycloak.userToken("greg"))
                .get(policy.ledger.url() + "/api/v1/entries/" + issued.path("grant.leafIndex"));
        leaf.then().statusCode(200).body("type", equalTo("grant.issued")).body("entry.kycLeaf", equalTo((int) kycLeaf));
        // The purpose commitment is salted: SHA-256(salt || purpose), the salt given with the grant, so the researcher
        // can prove what they committed to and nobody can confirm a guessed purpose from the log.
        String salt = issued.path("grant.purposeSalt");
        String purpose = issued.path("grant.purpose");
        assertEquals(32, salt.length(), "a 16-byte salt, hex");
        java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
        sha256.update(java.util.HexFormat.of().parseHex(salt));
        assertEquals(
                java.util.HexFormat.of()
                        .formatHex(sha256.digest(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                leaf.path("entry.purposeCommitment"));
        assertNotEquals(
                java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                leaf.path("entry.purposeCommitment"),
                "the bare hash of the purpose is not what the log holds");

        // Reported again (a retry): the same grant, not a second one.
        report(policy, approval(alice, kycLeaf, 1, List.of(small)))
                .then()
                .statusCode(200)
                .body("grant.id", equalTo(grantId));

        // Tier 2 grants need a policy admin: the approval is stored, the grant is not issued.
        report(policy, approval(alice, kycLeaf, 2, List.of(medium)))
                .then()
                .statusCode(200)
                .body("grant", nullValue())
                .body("refused", containsString("policy admin"));
        assertEquals("no_grant", policy.decision(alice, medium));

        assertProblem(report(policy, approval(alice, kycLeaf, null, List.of(small))), 400, "invalid-request");
        // Only kyc-service reports outcomes.
        assertProblem(
                given().auth()
                        .oauth2(policy.admin())
                        .contentType(ContentType.JSON)
                        .body(approval(alice, kycLeaf, 1, List.of(small)))
                        .post(policy.url + "/api/v1/kyc-outcomes"),
                403,
                "forbidden");
    }

    @Test
    void aGrantPastItsEndIsRecordedAsExpiredInTheLedger(LocalSuite suite, Keycloak keycloak) throws Exception {
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String model = "expiring-" + UUID.randomUUID().toString().substring(0, 8);
        policy.putModel(model, 1e22, List.of()).then().statusCode(200);
        String alice = policy.subjectOf("alice");
        policy.approve(alice, 2, 2);
        long feedStart = given().auth()
                .oauth2(policy.gateway())
                .get(policy.url + "/api/v1/changes")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("next");
        Response issued = given().auth()
                .oauth2(policy.admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "subject",
                        alice,
                        "models",
                        List.of(model),
                        "tier",
                        1,
                        "purpose",
                        "A grant that ends in a few seconds.",
                        "validUntil",
                        Instant.now().plusSeconds(3).toString()))
                .post(policy.url + "/api/v1/grants");
        issued.then().statusCode(200);
        String id = issued.path("id");
        int issuedLeaf = issued.path("leafIndex");

        long deadline = System.nanoTime() + 40_000_000_000L;
        Response grant = given().auth().oauth2(policy.admin()).get(policy.url + "/api/v1/grants/" + id);
        // The expiry is restrictive: the status changes at once, its leaf follows from the outbox.
        while ((grant.path("leafIndex") == null || ((Number) grant.path("leafIndex")).intValue() == issuedLeaf)
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
            grant = given().auth().oauth2(policy.admin()).get(policy.url + "/api/v1/grants/" + id);
        }
        grant.then().statusCode(200).body("status", equalTo("EXPIRED"));
        int expiredLeaf = grant.path("leafIndex");
        assertNotEquals(issuedLeaf, expiredLeaf, "the sweep recorded the expiry");
        given().auth()
                .oauth2(keycloak.userToken("greg"))
                .get(policy.ledger.url() + "/api/v1/entries/" + expiredLeaf)
                .then()
                .statusCode(200)
                .body("type", equalTo("grant.expired"))
                .body("entry.grantId", equalTo(id));
        assertEquals("grant_expired", policy.decision(alice, model));
        // The sweep's expiry is on the change feed too, so gateways drop what they cached for the researcher.
        Response feed = given().auth()
                .oauth2(policy.gateway())
                .get(policy.url + "/api/v1/changes?after=" + feedStart + "&waitMs=0");
        feed.then().statusCode(200);
        List<Map<String, Object>> changes = feed.jsonPath().getList("changes");
        assertTrue(
                changes.stream().anyMatch(c -> "grant.expired".equals(c.get("kind")) && id.equals(c.get("grantId"))),
                "the feed carries the expiry: " + feed.asString());
        assertProblem(policy.change(policy.admin(), id, "revoke"), 409, "conflict");
    }
}
