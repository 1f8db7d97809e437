package org.vettedaccess.e2e.kyc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.support.Problems.assertProblem;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/** Applications from draft to approval through the real suite: checks, review, four-eyes, ledger, access-policy. */
@ExtendWith(RunningSuite.class)
class KycLifecycleTest {

    /** The applications here name a catalog model: kyc-service refuses others (ADR 0042). */
    @BeforeEach
    void catalogHoldsTheModelApplied(LocalSuite suite, Keycloak keycloak) {
        new PolicyFixture(suite, keycloak).smallModel();
    }

    private static Map<String, Object> application(int tier, List<String> models) {
        Map<String, Object> body = new HashMap<>();
        body.put("legalName", "Alice Example");
        body.put("email", "alice@example.org");
        body.put("institutionalEmail", "alice.example@tum.de");
        body.put("orcid", "0000-0002-1825-0097");
        body.put("affiliation", "Technical University of Munich");
        body.put("rorId", "https://ror.org/02kkvpp62");
        body.put("country", "DE");
        body.put("position", "Postdoctoral researcher");
        body.put("purpose", "Red-teaming refusal behaviour of frontier models for a peer-reviewed study.");
        body.put("requestedTier", tier);
        body.put("requestedModels", models);
        body.put("fundingSources", "University funds only");
        body.put("conflictsOfInterest", "None");
        body.put("termsAccepted", true);
        body.put("termsVersion", "2026-01");
        return body;
    }

    private static Response as(String token, String method, String url, Object body) {
        var request = given().auth().oauth2(token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return method.equals("PUT") ? request.put(url) : method.equals("GET") ? request.get(url) : request.post(url);
    }

    private static Map<String, Object> decision(String decision, String reason) {
        return Map.of("decision", decision, "reason", reason);
    }

    @Test
    void aTier2ResearcherIsVettedThroughChecksReviewAndChangesAndGetsAccess(LocalSuite suite, Keycloak keycloak) {
        String kyc = suite.serviceUrl("kyc-service");
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String model = "kyc-medium-" + UUID.randomUUID().toString().substring(0, 8);
        policy.putModel(model, 5e23, List.of()).then().statusCode(200);
        String alice = keycloak.userToken("alice");
        String rita = keycloak.userToken("rita");

        Map<String, Object> draft = new HashMap<>(Map.of("legalName", "Alice Example", "requestedTier", 2));
        Response created = as(alice, "POST", kyc + "/api/v1/applications", draft);
        created.then().statusCode(201).body("state", equalTo("DRAFT"));
        String id = created.path("id");
        // Incomplete: submitting names the first missing field.
        Response incomplete = as(alice, "POST", kyc + "/api/v1/applications/" + id + "/submit", null);
        assertProblem(incomplete, 400, "invalid-request");
        as(alice, "PUT", kyc + "/api/v1/applications/" + id, application(2, List.of(model)))
                .then()
                .statusCode(200)
                .body("rorId", equalTo("02kkvpp62"));

        Response submitted = as(alice, "POST", kyc + "/api/v1/applications/" + id + "/submit", null);
        submitted
                .then()
                .statusCode(200)
                .body("state", equalTo("IN_REVIEW"))
                // Typed, not proven by an ORCID sign-in: a reviewer checks it (ADR 0048).
                .body("checks.find { it.name == 'orcid' }.result", equalTo("REVIEW"))
                .body("checks.find { it.name == 'ror' }.result", equalTo("PASS"))
                .body("checks.find { it.name == 'country' }.result", equalTo("PASS"))
                .body("checks.find { it.name == 'email-domain' }.result", equalTo("PASS"))
                .body("timeline.state", equalTo(List.of("DRAFT", "SUBMITTED", "SCREENING", "IN_REVIEW")));
        // Submitting twice is an illegal transition.
        assertProblem(as(alice, "POST", kyc + "/api/v1/applications/" + id + "/submit", null), 409, "conflict");

        // The reviewer's queue shows it with its SLA; deciding needs a claim and a reason.
        as(rita, "GET", kyc + "/api/v1/review-queue", null)
                .then()
                .statusCode(200)
                .body("id", hasItem(id));
        assertProblem(
                as(rita, "POST", kyc + "/api/v1/applications/" + id + "/decide", decision("APPROVE", "fine")),
                409,
                "conflict");
        as(rita, "POST", kyc + "/api/v1/applications/" + id + "/claim", null)
                .then()
                .statusCode(200);
        assertProblem(
                as(rita, "POST", kyc + "/api/v1/applications/" + id + "/decide", Map.of("decision", "APPROVE")),
                400,
                "invalid-request");
        as(
                        rita,
                        "POST",
                        kyc + "/api/v1/applications/" + id + "/decide",
                        decision("REQUEST_CHANGES", "Please name your funding sources precisely."))
                .then()
                .statusCode(200)
                .body("state", equalTo("CHANGES_REQUESTED"));

        // The researcher sees the reason, edits and resubmits.
        as(alice, "GET", kyc + "/api/v1/applications/" + id, null)
                .then()
                .statusCode(200)
                .body("reviews[0].reason", equalTo("Please name your funding sources precisely."))
                .body("reviews[0].reviewer", equalTo(null));
        as(alice, "PUT", kyc + "/api/v1/applications/" + id, Map.of("fundingSources", "DFG grant 123456"))
                .then()
                .statusCode(200);
        as(alice, "POST", kyc + "/api/v1/applications/" + id + "/resubmit", null)
                .then()
                .statusCode(200)
                .body("state", equalTo("IN_REVIEW"));

        as(rita, "POST", kyc + "/api/v1/applications/" + id + "/claim", null)
                .then()
                .statusCode(200);
        Response approved = as(
                rita,
                "POST",
                kyc + "/api/v1/applications/" + id + "/decide",
                decision("APPROVE", "Affiliation and purpose verified."));
        approved.then().statusCode(200).body("state", equalTo("APPROVED")).body("assuranceLevel", equalTo(2));
        long kycLeaf = ((Number) approved.path("kycLeaf")).longValue();

        // The decision is a pseudonymous ledger leaf with no personal data.
        Response leaf = given().auth()
                .oauth2(keycloak.userToken("greg"))
                .get(policy.ledger.url() + "/api/v1/entries/" + kycLeaf);
        leaf.then()
                .statusCode(200)
                .body("type", equalTo("kyc.decision"))
                .body("entry.outcome", equalTo("APPROVED"))
                .body("entry.applicationId", equalTo(id));
        String leafText = leaf.asString();
        String subject = policy.subjectOf("alice");
        assertFalse(
                leafText.contains("Alice Example") || leafText.contains("tum.de") || leafText.contains(subject),
                leafText);

        // access-policy learned of it: a tier-2 grant may now be issued, and it names the KYC leaf.
        policy.grant(subject, List.of(model), 2, 30).then().statusCode(200).body("kycLeaf", equalTo((int) kycLeaf));
        assertEquals("ALLOW", policy.decision(subject, model));
        // The assurance endpoint serves access-policy's and the gateway's accounts, and nobody else.
        given().auth()
                .oauth2(keycloak.clientToken("access-policy", "access-policy-demo-secret"))
                .get(kyc + "/api/v1/assurance/" + subject)
                .then()
                .statusCode(200)
                .body("assuranceLevel", equalTo(2))
                .body("kycLeaf", equalTo((int) kycLeaf));
        assertProblem(as(rita, "GET", kyc + "/api/v1/assurance/" + subject, null), 403, "forbidden");

        // Another researcher cannot see it; a decided application cannot be withdrawn.
        assertProblem(
                as(keycloak.userToken("victor"), "GET", kyc + "/api/v1/applications/" + id, null), 404, "not-found");
        assertProblem(as(alice, "POST", kyc + "/api/v1/applications/" + id + "/withdraw", null), 409, "conflict");
    }

    @Test
    void tier3NeedsTwoDistinctReviewersAndNobodyReviewsTheirOwn(LocalSuite suite, Keycloak keycloak) {
        String kyc = suite.serviceUrl("kyc-service");
        String model = "kyc-frontier-" + UUID.randomUUID().toString().substring(0, 8);
        new PolicyFixture(suite, keycloak)
                .putModel(model, 2e25, List.of())
                .then()
                .statusCode(200);
        String alice = keycloak.userToken("alice");
        String rita = keycloak.userToken("rita");
        String ravi = keycloak.userToken("ravi");
        String id = as(alice, "POST", kyc + "/api/v1/applications", application(3, List.of(model)))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(alice, "POST", kyc + "/api/v1/applications/" + id + "/submit", null)
                .then()
                .statusCode(200)
                .body("state", equalTo("IN_REVIEW"))
                .body("approvalsNeeded", equalTo(2));

        as(rita, "POST", kyc + "/api/v1/applications/" + id + "/claim", null)
                .then()
                .statusCode(200);
        as(rita, "POST", kyc + "/api/v1/applications/" + id + "/decide", decision("APPROVE", "First look: fine."))
                .then()
                .statusCode(200)
                .body("state", equalTo("IN_REVIEW"))
                .body("approvalsThisRound", equalTo(1));
        // The same reviewer twice is not four eyes: they cannot even claim it again, nor decide unclaimed.
        assertProblem(as(rita, "POST", kyc + "/api/v1/applications/" + id + "/claim", null), 409, "conflict");
        assertProblem(
                as(rita, "POST", kyc + "/api/v1/applications/" + id + "/decide", decision("APPROVE", "Again.")),
                409,
                "conflict");
        // A conflict declared after approving bars the reviewer, releases the claim and voids their approval:
        // the round needs two approvals from reviewers without a conflict.
        as(rita, "POST", kyc + "/api/v1/applications/" + id + "/conflict", Map.of("reason", "Former colleague."))
                .then()
                .statusCode(200)
                .body("approvalsThisRound", equalTo(0));
        assertProblem(as(rita, "POST", kyc + "/api/v1/applications/" + id + "/claim", null), 403, "forbidden");
        as(ravi, "POST", kyc + "/api/v1/applications/" + id + "/claim", null)
                .then()
                .statusCode(200);
        as(ravi, "POST", kyc + "/api/v1/applications/" + id + "/decide", decision("APPROVE", "Second look: fine."))
                .then()
                .statusCode(200)
                .body("state", equalTo("IN_REVIEW"))
                .body("approvalsThisRound", equalTo(1));
        // A new, distinct reviewer completes the four eyes; it is still in their queue, waiting for them.
        Keycloak.ProbeClient third = keycloak.probeClient(List.of("kyc-service"), "kyc-reviewer", 300);
        String thirdReviewer = keycloak.clientToken(third.clientId(), third.secret());
        assertTrue(
                as(thirdReviewer, "GET", kyc + "/api/v1/review-queue", null)
                        .asString()
                        .contains(id),
                "the application stays in review for another reviewer");
        as(thirdReviewer, "POST", kyc + "/api/v1/applications/" + id + "/claim", null)
                .then()
                .statusCode(200);
        as(thirdReviewer, "POST", kyc + "/api/v1/applications/" + id + "/decide", decision("APPROVE", "Third look."))
                .then()
                .statusCode(200)
                .body("state", equalTo("APPROVED"))
                .body("assuranceLevel", equalTo(3));

        // A reviewer who is also a researcher can never review their own application.
        Keycloak.ProbeClient both =
                keycloak.probeClientWithRoles(List.of("kyc-service"), List.of("researcher", "kyc-reviewer"), 300);
        String self = keycloak.clientToken(both.clientId(), both.secret());
        String own = as(self, "POST", kyc + "/api/v1/applications", application(3, List.of(model)))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(self, "POST", kyc + "/api/v1/applications/" + own + "/submit", null)
                .then()
                .statusCode(200);
        String queue = as(self, "GET", kyc + "/api/v1/review-queue", null).asString();
        assertFalse(queue.contains(own), "their own application is not in their queue");
        assertTrue(
                as(rita, "GET", kyc + "/api/v1/review-queue", null).asString().contains(own));
        assertProblem(as(self, "POST", kyc + "/api/v1/applications/" + own + "/claim", null), 403, "forbidden");
    }

    @Test
    void theSanctionsFixturePersonIsCaughtInAnyScriptOrWordOrderAndANearMissIsNot(LocalSuite suite, Keycloak keycloak) {
        String kyc = suite.serviceUrl("kyc-service");
        String victor = keycloak.userToken("victor");
        String rita = keycloak.userToken("rita");
        for (String name : List.of(
                "Viktor Sanctionlisted", "Sanctionlisted Viktor", "Виктор Санкционлистед", "VÍKTOR SANCTIONLISTED")) {
            Map<String, Object> body = application(1, List.of(PolicyFixture.SMALL_MODEL));
            body.put("legalName", name);
            String id = as(victor, "POST", kyc + "/api/v1/applications", body).path("id");
            Response submitted = as(victor, "POST", kyc + "/api/v1/applications/" + id + "/submit", null);
            submitted.then().statusCode(200).body("state", equalTo("IN_REVIEW"));
            // The candidates are for reviewers only (KycDispositionTest: the applicant is never tipped off).
            assertFalse(submitted.asString().contains("demo-0001"), submitted.asString());
            Response review = as(rita, "GET", kyc + "/api/v1/review/applications/" + id, null);
            review.then().statusCode(200).body("checks.find { it.name == 'sanctions' }.result", equalTo("REVIEW"));
            String detail = review.path("checks.find { it.name == 'sanctions' }.detail");
            assertTrue(
                    detail.contains("demo-0001") && detail.contains("90001"),
                    name + " is matched on both lists: " + detail);
            List<String> entries = review.path("candidates.entryId");
            assertTrue(entries.contains("demo-0001") && entries.contains("90001"), name + ": " + entries);
        }
        Map<String, Object> nearMiss = application(1, List.of(PolicyFixture.SMALL_MODEL));
        nearMiss.put("legalName", "Viktor Sandberg");
        String id = as(victor, "POST", kyc + "/api/v1/applications", nearMiss).path("id");
        as(victor, "POST", kyc + "/api/v1/applications/" + id + "/submit", null)
                .then()
                .statusCode(200);
        as(rita, "GET", kyc + "/api/v1/review/applications/" + id, null)
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'sanctions' }.result", equalTo("PASS"))
                .body("candidates", equalTo(List.of()));
    }

    @Test
    void aReScreenHitSuspendsAtOnceStopsAccessAndReopensReview(LocalSuite suite, Keycloak keycloak) throws Exception {
        String kyc = suite.serviceUrl("kyc-service");
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String model = "kyc-small-" + UUID.randomUUID().toString().substring(0, 8);
        policy.putModel(model, 1e22, List.of()).then().statusCode(200);
        String alice = keycloak.userToken("alice");
        String rita = keycloak.userToken("rita");
        StringBuilder surname = new StringBuilder("Rescreen");
        for (char c :
                UUID.randomUUID().toString().replace("-", "").substring(0, 8).toCharArray()) {
            surname.append((char) ('a' + Character.digit(c, 16)));
        }
        String name = "Alice " + surname;
        Map<String, Object> body = application(1, List.of(model));
        body.put("legalName", name);
        String id = as(alice, "POST", kyc + "/api/v1/applications", body).path("id");
        as(alice, "POST", kyc + "/api/v1/applications/" + id + "/submit", null)
                .then()
                .statusCode(200);
        as(rita, "GET", kyc + "/api/v1/review/applications/" + id, null)
                .then()
                .body("checks.find { it.name == 'sanctions' }.result", equalTo("PASS"));
        as(rita, "POST", kyc + "/api/v1/applications/" + id + "/claim", null)
                .then()
                .statusCode(200);
        as(rita, "POST", kyc + "/api/v1/applications/" + id + "/decide", decision("APPROVE", "All checks pass."))
                .then()
                .statusCode(200)
                .body("state", equalTo("APPROVED"));
        String subject = policy.subjectOf("alice");
        // Tier 1 approvals issue the grant applied for.
        assertEquals("ALLOW", policy.decision(subject, model));

        // The lab's list gains the name; the next re-screen suspends at once.
        java.nio.file.Files.writeString(
                suite.sanctionsDirectory().resolve("targets.simple.csv"),
                "demo-rescreen-" + surname + ",Person," + name + ",,,de,,,\"DEMO (fixture)\",,,demo_sanctions,"
                        + "2026-11-01T00:00:00,2026-11-01T00:00:00,2026-11-01T00:00:00\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertProblem(as(alice, "POST", kyc + "/api/v1/rescreen", null), 403, "forbidden");
        Response run = as(rita, "POST", kyc + "/api/v1/rescreen", null);
        run.then().statusCode(200);
        assertTrue(((Number) run.path("suspended")).intValue() >= 1, run.asString());

        Response after = as(alice, "GET", kyc + "/api/v1/applications/" + id, null);
        after.then().statusCode(200).body("state", equalTo("IN_REVIEW")).body("timeline.state", hasItem("SUSPENDED"));
        // The hit is for reviewers; the researcher reads only that additional checks are in progress.
        assertFalse(after.asString().contains("demo-rescreen-" + surname), after.asString());
        assertFalse(after.asString().contains("re-screen"), after.asString());
        assertTrue(as(rita, "GET", kyc + "/api/v1/review/applications/" + id, null)
                .asString()
                .contains("demo-rescreen-" + surname));
        long leaf = ((Number) after.path("kycLeaf")).longValue();
        given().auth()
                .oauth2(keycloak.userToken("greg"))
                .get(policy.ledger.url() + "/api/v1/entries/" + leaf)
                .then()
                .statusCode(200)
                .body("entry.outcome", equalTo("SUSPENDED"))
                .body("entry.applicationId", equalTo(id));
        assertEquals("kyc_not_current", policy.decision(subject, model), "access stops with the suspension");
    }

    @Test
    void aDecisionMadeWhileTheLedgerIsDownReachesTheLedgerAndAccessPolicyAfterwards(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        String kyc = suite.serviceUrl("kyc-service");
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String model = "kyc-outage-" + UUID.randomUUID().toString().substring(0, 8);
        policy.putModel(model, 1e22, List.of()).then().statusCode(200);
        String alice = keycloak.userToken("alice");
        String rita = keycloak.userToken("rita");
        String id = as(alice, "POST", kyc + "/api/v1/applications", application(1, List.of(model)))
                .path("id");
        as(alice, "POST", kyc + "/api/v1/applications/" + id + "/submit", null)
                .then()
                .statusCode(200);
        as(rita, "POST", kyc + "/api/v1/applications/" + id + "/claim", null)
                .then()
                .statusCode(200);
        String subject = policy.subjectOf("alice");

        suite.stop("usage-ledger");
        try {
            as(rita, "POST", kyc + "/api/v1/applications/" + id + "/decide", decision("APPROVE", "Checks pass."))
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("APPROVED"))
                    .body("kycLeaf", equalTo(null));
            assertEquals("no_grant", policy.decision(subject, model), "no access before the decision is recorded");
        } finally {
            suite.restart("usage-ledger");
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        Response application = as(alice, "GET", kyc + "/api/v1/applications/" + id, null);
        while (application.path("kycLeaf") == null && System.nanoTime() < deadline) {
            Thread.sleep(250);
            application = as(alice, "GET", kyc + "/api/v1/applications/" + id, null);
        }
        long leaf = ((Number) application.path("kycLeaf")).longValue();
        given().auth()
                .oauth2(keycloak.userToken("greg"))
                .get(policy.ledger.url() + "/api/v1/entries/" + leaf)
                .then()
                .statusCode(200)
                .body("entry.outcome", equalTo("APPROVED"))
                .body("entry.applicationId", equalTo(id));
        String decided = policy.decision(subject, model);
        while (!decided.equals("ALLOW") && System.nanoTime() < deadline) {
            Thread.sleep(250);
            decided = policy.decision(subject, model);
        }
        assertEquals("ALLOW", decided, "access-policy heard of the approval, and its grant was issued");
    }

    @Test
    void embargoedCountriesAreRefusedAutomaticallyAndBadInputNamesTheField(LocalSuite suite, Keycloak keycloak) {
        String kyc = suite.serviceUrl("kyc-service");
        String alice = keycloak.userToken("alice");
        Map<String, Object> embargoed = application(1, List.of(PolicyFixture.SMALL_MODEL));
        embargoed.put("country", "KP");
        String id = as(alice, "POST", kyc + "/api/v1/applications", embargoed).path("id");
        as(alice, "POST", kyc + "/api/v1/applications/" + id + "/submit", null)
                .then()
                .statusCode(200)
                .body("state", equalTo("REJECTED"))
                .body("checks.find { it.name == 'country' }.result", equalTo("FAIL"));

        for (Map.Entry<String, Object> bad : List.of(
                Map.entry("orcid", (Object) "0000-0002-1825-0098"),
                Map.entry("orcid", (Object) "not-an-orcid"),
                Map.entry("rorId", (Object) "05qwgg494"),
                Map.entry("country", (Object) "Germany"),
                Map.entry("legalName", (Object) "x".repeat(300)),
                Map.entry("requestedTier", (Object) 7),
                Map.entry("institutionalEmail", (Object) "nobody"))) {
            Response response = as(alice, "POST", kyc + "/api/v1/applications", Map.of(bad.getKey(), bad.getValue()));
            assertProblem(response, 400, "invalid-request");
            assertTrue(
                    response.asString().contains("'" + bad.getKey() + "'")
                            || response.asString().contains(bad.getKey()),
                    "names " + bad.getKey() + ": " + response.asString());
        }
        assertProblem(
                given().auth()
                        .oauth2(alice)
                        .contentType(ContentType.JSON)
                        .body("{\"legalName\": ")
                        .post(kyc + "/api/v1/applications"),
                400,
                "malformed-request");
        assertProblem(
                given().auth()
                        .oauth2(alice)
                        .contentType(ContentType.TEXT)
                        .body("legalName=x")
                        .post(kyc + "/api/v1/applications"),
                415,
                "unsupported-media-type");
        // Only researchers apply; only reviewers see the queue.
        assertProblem(as(keycloak.userToken("rita"), "POST", kyc + "/api/v1/applications", Map.of()), 403, "forbidden");
        assertProblem(as(alice, "GET", kyc + "/api/v1/review-queue", null), 403, "forbidden");
        assertProblem(given().get(kyc + "/api/v1/applications"), 401, "unauthenticated");
    }
}
