package org.vettedaccess.e2e.kyc;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Mailbox;
import org.vettedaccess.e2e.support.RoleMatrix;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/** Every kyc-service endpoint, called as every kind of caller. */
@ExtendWith(RunningSuite.class)
class KycAccessTest {

    /** The applications here name a catalog model: kyc-service refuses others (ADR 0042). */
    @BeforeEach
    void catalogHoldsTheModelApplied(LocalSuite suite, Keycloak keycloak) {
        new PolicyFixture(suite, keycloak).smallModel();
    }

    private static String draftWith(String kyc, String token, Map<String, Object> body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .post(kyc + "/api/v1/applications")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void everyEndpointAdmitsExactlyItsRoles(LocalSuite suite, Keycloak keycloak) {
        String kyc = suite.serviceUrl("kyc-service");
        RoleMatrix matrix = new RoleMatrix(keycloak);
        String alice = matrix.token("alice");
        Map<String, Object> draft = Map.of("legalName", "Alice Matrix", "requestedTier", 1);
        String draftId = draftWith(kyc, alice, draft);
        String editable = draftWith(kyc, alice, draft);
        Map<String, Object> complete = new java.util.HashMap<>(Map.of(
                "legalName", "Alice Matrix",
                "email", "alice@example.org",
                "institutionalEmail", "alice@tum.de",
                "orcid", "0000-0002-1825-0097",
                "affiliation", "Technical University of Munich",
                "rorId", "02kkvpp62",
                "country", "DE",
                "position", "Researcher",
                "purpose", "Matrix test of access rules for every endpoint.",
                "requestedTier", 1));
        complete.put("requestedModels", List.of(PolicyFixture.SMALL_MODEL));
        complete.put("termsAccepted", true);
        complete.put("termsVersion", "2026-01");
        String inReview = draftWith(kyc, alice, complete);
        String submittable = draftWith(kyc, alice, complete);
        given().auth()
                .oauth2(alice)
                .post(kyc + "/api/v1/applications/" + inReview + "/submit")
                .then()
                .statusCode(200);
        // An approval, so that the assurance endpoint has something to serve.
        String approved = draftWith(kyc, alice, complete);
        given().auth()
                .oauth2(alice)
                .post(kyc + "/api/v1/applications/" + approved + "/submit")
                .then()
                .statusCode(200);
        String ravi = keycloak.userToken("ravi");
        given().auth()
                .oauth2(ravi)
                .post(kyc + "/api/v1/applications/" + approved + "/claim")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(ravi)
                .contentType(ContentType.JSON)
                .body(Map.of("decision", "APPROVE", "reason", "matrix"))
                .post(kyc + "/api/v1/applications/" + approved + "/decide")
                .then()
                .statusCode(200);
        // A name on the demo lists, so that a reviewer has a sanctions candidate to disposition (never approved).
        Map<String, Object> listed = new java.util.HashMap<>(complete);
        listed.put("legalName", "Viktor Sanctionlisted");
        String screened = draftWith(kyc, alice, listed);
        given().auth()
                .oauth2(alice)
                .post(kyc + "/api/v1/applications/" + screened + "/submit")
                .then()
                .statusCode(200);
        String candidate = given().auth()
                .oauth2(matrix.token("rita"))
                .get(kyc + "/api/v1/review/applications/" + screened)
                .then()
                .statusCode(200)
                .extract()
                .path("candidates[0].id");
        String subject = new PolicyFixture(suite, keycloak).subjectOf("alice");
        // Two drafts with an institutional address: one to send a code to, one whose code is read and verified.
        String proofToSend = draftWith(kyc, alice, complete);
        String proofToVerify = draftWith(kyc, alice, complete);
        int mailsBefore = suite.mailbox().to("alice@tum.de").size();
        given().auth()
                .oauth2(alice)
                .post(kyc + "/api/v1/applications/" + proofToVerify + "/email-proof")
                .then()
                .statusCode(202);
        String code = Mailbox.code(suite, "alice@tum.de", mailsBefore);
        // victor's own data, so the erasure row has an allowed caller whose erasure harms no other test.
        draftWith(kyc, matrix.token("victor"), Map.of("legalName", "Victor Matrix"));

        Set<String> researchers = Set.of("alice", "victor");
        Set<String> reviewers = Set.of("rita");
        matrix.check(
                kyc,
                List.of(
                        new RoleMatrix.Row("GET", "/api/v1/applications", null, researchers),
                        new RoleMatrix.Row("POST", "/api/v1/applications", draft, researchers),
                        new RoleMatrix.Row(
                                "GET", "/api/v1/applications/" + draftId, null, Set.of("alice"), Set.of("victor")),
                        new RoleMatrix.Row(
                                "PUT",
                                "/api/v1/applications/" + editable,
                                Map.of("position", "Lead"),
                                Set.of("alice"),
                                Set.of("victor")),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/applications/" + submittable + "/submit",
                                null,
                                Set.of("alice"),
                                Set.of("victor")),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/applications/" + draftId + "/withdraw",
                                null,
                                Set.of("alice"),
                                Set.of("victor")),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/applications/" + proofToSend + "/email-proof",
                                null,
                                Set.of("alice"),
                                Set.of("victor")),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/applications/" + proofToVerify + "/email-proof/verify",
                                Map.of("code", code),
                                Set.of("alice"),
                                Set.of("victor")),
                        // Erasing alice would end the approvals other tests use; victor proves the researcher role.
                        new RoleMatrix.Row(
                                "DELETE", "/api/v1/personal-data", null, researchers, Set.of(), Set.of("alice")),
                        new RoleMatrix.Row("GET", "/api/v1/review-queue", null, reviewers),
                        new RoleMatrix.Row("GET", "/api/v1/review/applications/" + inReview, null, reviewers),
                        new RoleMatrix.Row("POST", "/api/v1/applications/" + inReview + "/claim", null, reviewers),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/applications/" + inReview + "/decide",
                                Map.of("decision", "REQUEST_CHANGES", "reason", "matrix"),
                                reviewers),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/applications/" + inReview + "/conflict",
                                Map.of("reason", "matrix"),
                                reviewers),
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/applications/" + screened + "/candidates/" + candidate + "/disposition",
                                Map.of("disposition", "FALSE_POSITIVE", "evidence", "matrix: born in another year"),
                                reviewers),
                        new RoleMatrix.Row("POST", "/api/v1/rescreen", null, reviewers),
                        new RoleMatrix.Row("GET", "/api/v1/assurance/" + subject, null, Set.of("sa:access-policy")),
                        new RoleMatrix.Row(
                                "GET", "/api/v1/caller", null, Set.of("alice", "victor", "rita", "paula", "greg"))),
                // Only the gateway's and access-policy's accounts address kyc-service, and neither holds a realm role.
                Set.of("sa:kyc-service", "sa:usage-ledger"));
    }
}
