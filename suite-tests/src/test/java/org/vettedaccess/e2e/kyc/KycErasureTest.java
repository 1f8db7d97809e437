package org.vettedaccess.e2e.kyc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Mailbox;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Erasure on request through the real suite: an approved researcher's personal data leaves kyc-service, the
 * approval ends (a WITHDRAWN leaf, access-policy denies), and the pseudonymous ledger history stays intact.
 */
@ExtendWith(RunningSuite.class)
class KycErasureTest {

    private static final List<String> TABLES = List.of(
            "applications", "checks", "application_events", "reviews", "conflicts", "email_proofs", "decision_outbox");

    @Test
    void erasingAnApprovedResearcherKeepsTheLedgerHistoryAndEndsAccess(LocalSuite suite, Keycloak keycloak)
            throws SQLException {
        String kyc = suite.serviceUrl("kyc-service");
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String model = "kyc-erase-" + UUID.randomUUID().toString().substring(0, 8);
        policy.putModel(model, 5e23, List.of()).then().statusCode(200);
        // A researcher of their own (a fresh identity), so erasing them touches no other test's fixtures.
        Keycloak.ProbeClient erin = keycloak.probeClientWithRoles(List.of("kyc-service"), List.of("researcher"), 600);
        String token = keycloak.clientToken(erin.clientId(), erin.secret());
        String subject = Jwts.payload(token).get("sub").asText();
        String marker = "Erasable" + UUID.randomUUID().toString().substring(0, 6);
        String address = "erin." + marker.toLowerCase() + "@tum.de";

        Map<String, Object> body = new HashMap<>();
        body.put("legalName", "Erin " + marker);
        body.put("email", "erin@" + marker.toLowerCase() + ".example.org");
        body.put("institutionalEmail", address);
        body.put("orcid", "0000-0002-1825-0097");
        body.put("affiliation", "Technical University of Munich");
        body.put("rorId", "02kkvpp62");
        body.put("country", "DE");
        body.put("position", "Doctoral researcher");
        body.put("purpose", "Studying " + marker + " refusal behaviour.");
        body.put("requestedTier", 2);
        body.put("requestedModels", List.of(model));
        body.put("fundingSources", "Funded by the " + marker + " foundation");
        body.put("conflictsOfInterest", "None");
        body.put("termsAccepted", true);
        body.put("termsVersion", "2026-01");
        String id = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .post(kyc + "/api/v1/applications")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().auth()
                .oauth2(token)
                .post(kyc + "/api/v1/applications/" + id + "/email-proof")
                .then()
                .statusCode(202);
        String code = Mailbox.code(suite, address, 0);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("code", code))
                .post(kyc + "/api/v1/applications/" + id + "/email-proof/verify")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(token)
                .post(kyc + "/api/v1/applications/" + id + "/submit")
                .then()
                .statusCode(200);

        // One reviewer declares a conflict naming the person; another approves with a reason naming them.
        String ravi = keycloak.userToken("ravi");
        String rita = keycloak.userToken("rita");
        given().auth()
                .oauth2(ravi)
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "I supervised Erin " + marker + "."))
                .post(kyc + "/api/v1/applications/" + id + "/conflict")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(rita)
                .post(kyc + "/api/v1/applications/" + id + "/claim")
                .then()
                .statusCode(200);
        Response approved = given().auth()
                .oauth2(rita)
                .contentType(ContentType.JSON)
                .body(Map.of("decision", "APPROVE", "reason", "Erin " + marker + " is a known TUM researcher."))
                .post(kyc + "/api/v1/applications/" + id + "/decide");
        approved.then().statusCode(200).body("state", equalTo("APPROVED"));
        long approvalLeaf = ((Number) approved.path("kycLeaf")).longValue();
        policy.grant(subject, List.of(model), 2, 30).then().statusCode(200);
        assertEquals("ALLOW", policy.decision(subject, model));
        assertTrue(rowsMentioning(suite, marker) > 0, "the personal data is there before the erasure");

        // The researcher asks for erasure.
        given().auth()
                .oauth2(token)
                .delete(kyc + "/api/v1/personal-data")
                .then()
                .statusCode(200)
                .body("subject", equalTo(subject))
                .body("applicationsErased", equalTo(1))
                .body("approvalsEnded", equalTo(1))
                .body("erasedAt", notNullValue());

        // Nothing personal is left anywhere in kyc-service's tables.
        assertEquals(0, rowsMentioning(suite, marker), "rows still naming the person after the erasure");
        Response mine = given().auth().oauth2(token).get(kyc + "/api/v1/applications/" + id);
        mine.then()
                .statusCode(200)
                .body("state", equalTo("WITHDRAWN"))
                .body("legalName", nullValue())
                .body("email", nullValue())
                .body("institutionalEmail", nullValue())
                .body("purpose", nullValue())
                .body("erasedAt", notNullValue())
                .body("checks.input", everyItem(equalTo("[erased]")))
                .body("emailProof.email", equalTo("[erased]"));
        long withdrawalLeaf = ((Number) mine.path("kycLeaf")).longValue();
        assertNotEquals(approvalLeaf, withdrawalLeaf);
        given().auth()
                .oauth2(rita)
                .get(kyc + "/api/v1/review/applications/" + id)
                .then()
                .statusCode(200)
                .body("legalName", nullValue())
                .body("reviews.reason", everyItem(equalTo("[erased]")));

        // The ledger's history is intact: the approval leaf still verifies as before, and the withdrawal is a
        // new leaf; both are pseudonymous.
        String regulator = keycloak.userToken("greg");
        Response approvalEntry =
                given().auth().oauth2(regulator).get(policy.ledger.url() + "/api/v1/entries/" + approvalLeaf);
        approvalEntry
                .then()
                .statusCode(200)
                .body("entry.outcome", equalTo("APPROVED"))
                .body("entry.applicationId", equalTo(id));
        Response withdrawalEntry =
                given().auth().oauth2(regulator).get(policy.ledger.url() + "/api/v1/entries/" + withdrawalLeaf);
        withdrawalEntry
                .then()
                .statusCode(200)
                .body("entry.outcome", equalTo("WITHDRAWN"))
                .body("entry.reasonCode", equalTo("erasure_request"))
                .body("entry.subject", equalTo(approvalEntry.path("entry.subject")));
        assertFalse(approvalEntry.asString().contains(marker)
                || withdrawalEntry.asString().contains(marker));

        // access-policy heard of it: the grant no longer allows calls.
        assertNotEquals("ALLOW", policy.decision(subject, model));

        // Erasing again finds nothing more; the researcher may apply afresh.
        given().auth()
                .oauth2(token)
                .delete(kyc + "/api/v1/personal-data")
                .then()
                .statusCode(200)
                .body("applicationsErased", equalTo(0));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("legalName", "Erin Again"))
                .post(kyc + "/api/v1/applications")
                .then()
                .statusCode(201);
    }

    /** Rows in kyc-service's tables whose text mentions {@code marker} (case-insensitive). */
    private static int rowsMentioning(LocalSuite suite, String marker) throws SQLException {
        int rows = 0;
        try (Connection connection = DriverManager.getConnection(
                suite.database().jdbcUrl("va_kyc"),
                suite.database().user(),
                suite.database().password())) {
            for (String table : TABLES) {
                try (PreparedStatement select =
                        connection.prepareStatement("SELECT count(*) FROM kyc." + table + " t WHERE t::text ILIKE ?")) {
                    select.setString(1, "%" + marker + "%");
                    try (ResultSet result = select.executeQuery()) {
                        result.next();
                        rows += result.getInt(1);
                    }
                }
            }
        }
        return rows;
    }
}
