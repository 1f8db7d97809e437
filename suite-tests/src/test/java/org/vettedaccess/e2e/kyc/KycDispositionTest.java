package org.vettedaccess.e2e.kyc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.support.Problems.assertProblem;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Sanctions candidates need recorded dispositions before any approval (two distinct reviewers for a strong match),
 * a true match rejects, and the applicant never sees list data (no tipping-off). Other tests rely on the demo user
 * victor never being approved: his applications end in review or rejected; the two-reviewer clearance runs on a
 * probe researcher with the same legal name.
 */
@ExtendWith(RunningSuite.class)
class KycDispositionTest {

    /** The applications here name a catalog model: kyc-service refuses others (ADR 0042). */
    @BeforeEach
    void catalogHoldsTheModelApplied(LocalSuite suite, Keycloak keycloak) {
        new PolicyFixture(suite, keycloak).smallModel();
    }

    static final String LISTED = "Viktor Sanctionlisted";

    static Map<String, Object> application(String legalName, int tier) {
        Map<String, Object> body = new HashMap<>();
        body.put("legalName", legalName);
        body.put("email", "vetting-test@example.org");
        body.put("institutionalEmail", "v.test@tum.de");
        body.put("orcid", "0000-0002-1825-0097");
        body.put("affiliation", "Technical University of Munich");
        body.put("rorId", "02kkvpp62");
        body.put("country", "DE");
        body.put("position", "Postdoctoral researcher");
        body.put("purpose", "Evaluating refusal behaviour for a peer-reviewed study.");
        body.put("requestedTier", tier);
        body.put("requestedModels", List.of(PolicyFixture.SMALL_MODEL));
        body.put("fundingSources", "University funds only");
        body.put("conflictsOfInterest", "None");
        body.put("termsAccepted", true);
        body.put("termsVersion", "2026-01");
        return body;
    }

    static Response as(String token, String method, String url, Object body) {
        var request = given().auth().oauth2(token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return method.equals("GET") ? request.get(url) : request.post(url);
    }

    static String submitted(String kyc, String researcher, String legalName, int tier) {
        return submitted(kyc, researcher, application(legalName, tier));
    }

    static String submitted(String kyc, String researcher, Map<String, Object> application) {
        String id = as(researcher, "POST", kyc + "/api/v1/applications", application)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(researcher, "POST", kyc + "/api/v1/applications/" + id + "/submit", null)
                .then()
                .statusCode(200)
                .body("state", equalTo("IN_REVIEW"));
        return id;
    }

    @Test
    void oneReviewerCannotApproveAStrongMatchWithoutDispositions(LocalSuite suite, Keycloak keycloak) {
        String kyc = suite.serviceUrl("kyc-service");
        Keycloak.ProbeClient probe = keycloak.probeClient(List.of("kyc-service"), "researcher", 300);
        String researcher = keycloak.clientToken(probe.clientId(), probe.secret());
        String rita = keycloak.userToken("rita");
        String id = submitted(kyc, researcher, LISTED, 2);

        as(rita, "POST", kyc + "/api/v1/applications/" + id + "/claim", null)
                .then()
                .statusCode(200);
        Response approval = as(
                rita,
                "POST",
                kyc + "/api/v1/applications/" + id + "/decide",
                Map.of("decision", "APPROVE", "reason", "Looks fine"));
        assertProblem(approval, 409, "conflict");
        List<String> candidates = as(rita, "GET", kyc + "/api/v1/review/applications/" + id, null)
                .then()
                .statusCode(200)
                .body("state", equalTo("IN_REVIEW"))
                .extract()
                .path("candidates.id");
        assertTrue(candidates.size() >= 2, "one candidate per list: " + candidates);
        for (String candidate : candidates) {
            assertTrue(
                    approval.asString().contains(candidate), "the 409 names " + candidate + ": " + approval.asString());
        }
    }

    /** What the demo lists say about "Viktor Sanctionlisted", none of which the applicant may see. */
    static final List<String> LIST_DATA = List.of(
            "demo-0001",
            "90001",
            "opensanctions",
            "ofac",
            "sdn.csv",
            "targets.simple",
            "SANCTIONLISTED, Viktor",
            "Санкционлистед",
            "score",
            "candidate",
            "possible match",
            "sha256",
            "sanctions_match");

    static void assertNoListData(String what, String text) {
        for (String secret : LIST_DATA) {
            assertFalse(text.contains(secret), what + " tips the applicant off with '" + secret + "': " + text);
        }
    }

    static Response disposition(
            String token, String kyc, String id, String candidate, String disposition, String evidence) {
        Map<String, Object> body = new HashMap<>();
        body.put("disposition", disposition);
        if (evidence != null) {
            body.put("evidence", evidence);
        }
        return as(
                token, "POST", kyc + "/api/v1/applications/" + id + "/candidates/" + candidate + "/disposition", body);
    }

    @Test
    void aStrongMatchIsClearedOnlyByTwoDistinctReviewersFalsePositivesWithEvidence(
            LocalSuite suite, Keycloak keycloak) {
        String kyc = suite.serviceUrl("kyc-service");
        // A namesake of the listed person (a probe researcher: victor himself is never approved).
        Keycloak.ProbeClient probe = keycloak.probeClient(List.of("kyc-service"), "researcher", 300);
        String researcher = keycloak.clientToken(probe.clientId(), probe.secret());
        String rita = keycloak.userToken("rita");
        String ravi = keycloak.userToken("ravi");
        String id = submitted(kyc, researcher, LISTED, 2);
        Response review = as(rita, "GET", kyc + "/api/v1/review/applications/" + id, null);
        review.then().statusCode(200);
        List<String> candidates = review.path("candidates.id");
        List<Boolean> strong = review.path("candidates.strong");
        List<Integer> needed = review.path("candidates.clearancesNeeded");
        assertTrue(candidates.size() >= 2, review.asString());
        assertTrue(strong.stream().allMatch(b -> b) && needed.stream().allMatch(n -> n == 2), review.asString());
        assertTrue(review.asString().contains("demo-0001") && review.asString().contains("90001"), review.asString());

        // A false positive needs its evidence; a disposition is for reviewers, never the applicant or a conflicted one.
        assertProblem(disposition(rita, kyc, id, candidates.get(0), "FALSE_POSITIVE", null), 400, "invalid-request");
        assertProblem(disposition(rita, kyc, id, candidates.get(0), "MAYBE", "x"), 400, "invalid-request");
        assertProblem(
                disposition(researcher, kyc, id, candidates.get(0), "FALSE_POSITIVE", "It is me, not him."),
                403,
                "forbidden");
        Keycloak.ProbeClient third = keycloak.probeClient(List.of("kyc-service"), "kyc-reviewer", 300);
        String conflicted = keycloak.clientToken(third.clientId(), third.secret());
        as(conflicted, "POST", kyc + "/api/v1/applications/" + id + "/conflict", Map.of("reason", "My cousin."))
                .then()
                .statusCode(200);
        assertProblem(
                disposition(conflicted, kyc, id, candidates.get(0), "FALSE_POSITIVE", "Different person."),
                403,
                "forbidden");

        Keycloak.ProbeClient both =
                keycloak.probeClientWithRoles(List.of("kyc-service"), List.of("researcher", "kyc-reviewer"), 300);
        String self = keycloak.clientToken(both.clientId(), both.secret());
        String own = submitted(kyc, self, LISTED, 1);
        String ownCandidate = as(rita, "GET", kyc + "/api/v1/review/applications/" + own, null)
                .path("candidates[0].id");
        assertProblem(disposition(self, kyc, own, ownCandidate, "FALSE_POSITIVE", "I am not him."), 403, "forbidden");

        // One reviewer's false positives do not clear a strong match, and the same reviewer twice counts once.
        for (String candidate : candidates) {
            disposition(rita, kyc, id, candidate, "FALSE_POSITIVE", "Born 1988 in Lyon per passport; listed DOB 1971.")
                    .then()
                    .statusCode(200)
                    .body("candidates.find { it.id == '" + candidate + "' }.status", equalTo("OPEN"));
        }
        assertProblem(
                disposition(rita, kyc, id, candidates.get(0), "FALSE_POSITIVE", "Really, a different person."),
                409,
                "conflict");
        as(rita, "POST", kyc + "/api/v1/applications/" + id + "/claim", null)
                .then()
                .statusCode(200);
        Response early = as(
                rita,
                "POST",
                kyc + "/api/v1/applications/" + id + "/decide",
                Map.of("decision", "APPROVE", "reason", "Looks fine"));
        assertProblem(early, 409, "conflict");
        assertTrue(early.asString().contains(candidates.get(0)), early.asString());

        // A second, different reviewer clears them; then the approval goes through.
        for (String candidate : candidates) {
            disposition(ravi, kyc, id, candidate, "FALSE_POSITIVE", "Video call: applicant is 35, listed man is 55.")
                    .then()
                    .statusCode(200)
                    .body("candidates.find { it.id == '" + candidate + "' }.status", equalTo("CLEARED"));
        }
        Response approved = as(
                rita,
                "POST",
                kyc + "/api/v1/applications/" + id + "/decide",
                Map.of("decision", "APPROVE", "reason", "Affiliation and purpose verified."));
        approved.then().statusCode(200).body("state", equalTo("APPROVED"));

        // The leaf counts the clearance over a strong match, with no names.
        long leaf = ((Number) approved.path("kycLeaf")).longValue();
        Response entry = given().auth()
                .oauth2(keycloak.userToken("greg"))
                .get(new PolicyFixture(suite, keycloak).ledger.url() + "/api/v1/entries/" + leaf);
        entry.then()
                .statusCode(200)
                .body("entry.outcome", equalTo("APPROVED"))
                .body("entry.screening.candidates", equalTo(candidates.size()))
                .body("entry.screening.cleared", equalTo(candidates.size()))
                .body("entry.screening.clearingReviewers", equalTo(2))
                .body("entry.screening.strong", equalTo(candidates.size()))
                .body("entry.screening.highestScoreMillis", equalTo(1000));
        List<String> versions = entry.path("entry.listVersions");
        assertTrue(versions.stream().anyMatch(v -> v.startsWith("ofac:sdn.csv sha256=")), entry.asString());
        assertFalse(entry.asString().toLowerCase(java.util.Locale.ROOT).contains("sanctionlisted"), entry.asString());

        // The applicant never saw any of it.
        assertNoListData(
                "the approved application",
                as(researcher, "GET", kyc + "/api/v1/applications/" + id, null).asString());
    }

    @Test
    void victorsTrueMatchRejectsAndHisAnswersShowNoListData(LocalSuite suite, Keycloak keycloak) {
        String kyc = suite.serviceUrl("kyc-service");
        String victor = keycloak.userToken("victor");
        String rita = keycloak.userToken("rita");
        String id = as(victor, "POST", kyc + "/api/v1/applications", application(LISTED, 1))
                .path("id");
        Response submitted = as(victor, "POST", kyc + "/api/v1/applications/" + id + "/submit", null);
        submitted
                .then()
                .statusCode(200)
                .body("state", equalTo("IN_REVIEW"))
                .body("checks.find { it.name == 'sanctions' }.detail", equalTo("additional checks in progress"))
                .body("candidates", equalTo(null));
        assertNoListData("the submission's answer", submitted.asString());
        assertNoListData(
                "his application",
                as(victor, "GET", kyc + "/api/v1/applications/" + id, null).asString());
        assertNoListData(
                "his list of applications",
                as(victor, "GET", kyc + "/api/v1/applications", null).asString());
        // Someone the lists do not name at all reads exactly the same words (a difference would tell).
        Keycloak.ProbeClient probe = keycloak.probeClient(List.of("kyc-service"), "researcher", 300);
        String otherToken = keycloak.clientToken(probe.clientId(), probe.secret());
        String other = submitted(kyc, otherToken, "Viktor Sandberg", 1);
        as(rita, "GET", kyc + "/api/v1/review/applications/" + other, null)
                .then()
                .body("candidates", equalTo(List.of()))
                .body("checks.find { it.name == 'sanctions' }.result", equalTo("PASS"));
        Response unlisted = as(otherToken, "GET", kyc + "/api/v1/applications/" + other, null);
        for (String field : List.of("result", "detail")) {
            String path = "checks.find { it.name == 'sanctions' }." + field;
            assertEquals((String) submitted.path(path), unlisted.path(path), field);
        }

        // One reviewer's TRUE_MATCH rejects at once (a rejection leaf), with no claim needed.
        List<String> candidates =
                as(rita, "GET", kyc + "/api/v1/review/applications/" + id, null).path("candidates.id");
        disposition(rita, kyc, id, candidates.get(0), "TRUE_MATCH", "Same DOB 1971-03-02 and passport as listed.")
                .then()
                .statusCode(200)
                .body("state", equalTo("REJECTED"))
                .body("candidates.find { it.id == '" + candidates.get(0) + "' }.status", equalTo("TRUE_MATCH"));
        Response after = as(victor, "GET", kyc + "/api/v1/applications/" + id, null);
        after.then().statusCode(200).body("state", equalTo("REJECTED"));
        assertNoListData("his rejected application", after.asString());

        long deadline = System.nanoTime() + 30_000_000_000L;
        while (after.path("kycLeaf") == null && System.nanoTime() < deadline) {
            after = as(victor, "GET", kyc + "/api/v1/applications/" + id, null);
        }
        long leaf = ((Number) after.path("kycLeaf")).longValue();
        given().auth()
                .oauth2(keycloak.userToken("greg"))
                .get(new PolicyFixture(suite, keycloak).ledger.url() + "/api/v1/entries/" + leaf)
                .then()
                .statusCode(200)
                .body("entry.outcome", equalTo("REJECTED"))
                .body("entry.reasonCode", equalTo("sanctions_match"))
                .body("entry.screening.trueMatches", equalTo(1));
    }

    @Test
    void aNamesakeWithAnotherDateOfBirthIsShownAsSuchToTheReviewerOnly(LocalSuite suite, Keycloak keycloak) {
        String kyc = suite.serviceUrl("kyc-service");
        String rita = keycloak.userToken("rita");
        // The demo entries list a birth date of 1971-03-02 (OpenSanctions birth_date; OFAC "DOB 02 Mar 1971").
        Keycloak.ProbeClient namesake = keycloak.probeClient(List.of("kyc-service"), "researcher", 300);
        String namesakeToken = keycloak.clientToken(namesake.clientId(), namesake.secret());
        Map<String, Object> born1990 = application(LISTED, 1);
        born1990.put("dateOfBirth", "1990-05-17");
        born1990.put("nationality", "DE");
        String id = as(namesakeToken, "POST", kyc + "/api/v1/applications", born1990)
                .then()
                .statusCode(201)
                .body("dateOfBirth", equalTo("1990-05-17"))
                .body("nationality", equalTo("DE"))
                .extract()
                .path("id");
        Response submitted = as(namesakeToken, "POST", kyc + "/api/v1/applications/" + id + "/submit", null);
        submitted.then().statusCode(200).body("state", equalTo("IN_REVIEW"));
        assertNoListData("the namesake's submission", submitted.asString());
        assertFalse(submitted.asString().contains("differs"), submitted.asString());

        Response review = as(rita, "GET", kyc + "/api/v1/review/applications/" + id, null);
        review.then()
                .statusCode(200)
                .body("candidates.find { it.entryId == 'demo-0001' }.birthDateDiffers", equalTo(true))
                .body("candidates.find { it.entryId == '90001' }.birthDateDiffers", equalTo(true));
        String explained = review.path("candidates.find { it.entryId == 'demo-0001' }.explanation");
        assertTrue(
                explained.contains("birth date differs (applicant 1990-05-17, listed 1971-03-02)")
                        && explained.contains("nationality differs (applicant DE, listed ru)")
                        && explained.contains("score 1.000"),
                explained);

        // The same name with the listed birth date is not marked, and its explanation says the date agrees.
        Keycloak.ProbeClient same = keycloak.probeClient(List.of("kyc-service"), "researcher", 300);
        Map<String, Object> born1971 = application(LISTED, 1);
        born1971.put("dateOfBirth", "1971-03-02");
        String other = submitted(kyc, keycloak.clientToken(same.clientId(), same.secret()), born1971);
        Response agreeing = as(rita, "GET", kyc + "/api/v1/review/applications/" + other, null);
        agreeing.then().body("candidates.find { it.entryId == '90001' }.birthDateDiffers", equalTo(false));
        String agrees = agreeing.path("candidates.find { it.entryId == '90001' }.explanation");
        assertTrue(agrees.contains("birth date agrees") && agrees.contains("nationality not on the list"), agrees);

        // A bad date or nationality names the field.
        Map<String, Object> bad = application(LISTED, 1);
        bad.put("dateOfBirth", "17.05.1990");
        assertProblem(as(namesakeToken, "POST", kyc + "/api/v1/applications", bad), 400, "invalid-request");
        bad.put("dateOfBirth", "1990-05-17");
        bad.put("nationality", "Germany");
        assertProblem(as(namesakeToken, "POST", kyc + "/api/v1/applications", bad), 400, "invalid-request");
    }
}
