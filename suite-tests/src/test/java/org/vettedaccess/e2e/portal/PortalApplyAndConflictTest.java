package org.vettedaccess.e2e.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * The portal's apply form takes the date of birth and nationality the screening compares (optional, as in the
 * API), and a reviewer's approval in the portal is void once that reviewer declares a conflict (issue 18): the
 * page then shows no approval counted, and the round needs two other reviewers. Headless Chromium, signed-in
 * sessions, probe researchers (victor, who is listed, is never approved).
 */
@ExtendWith(RunningSuite.class)
class PortalApplyAndConflictTest {

    /** The applications here name a catalog model: kyc-service refuses others (ADR 0042). */
    @BeforeEach
    void catalogHoldsTheModelApplied(LocalSuite suite, Keycloak keycloak) {
        new PolicyFixture(suite, keycloak).smallModel();
    }

    private static Response as(String token, String method, String url, Object body) {
        var request = given().auth().oauth2(token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return switch (method) {
            case "GET" -> request.get(url);
            case "PUT" -> request.put(url);
            default -> request.post(url);
        };
    }

    @Test
    void theApplyFormCarriesDateOfBirthAndNationalityIntoTheScreening(LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        String kyc = suite.serviceUrl("kyc-service");
        String username = "dob" + UUID.randomUUID().toString().substring(0, 6);
        keycloak.newUser(username, List.of("researcher"));
        String applicationId;
        try (Browser researcher = Browser.open().signIn(gateway, username)) {
            researcher.go(gateway + "/portal/apply");
            // A namesake of the demo list's person, born on another day: the reviewer must be able to tell.
            researcher.type("legalName", "Viktor Sanctionlisted");
            researcher.type("email", username + "@example.org");
            researcher.type("orcid", "0000-0002-1825-0097");
            researcher.type("country", "DE");
            researcher.type("position", "Postdoctoral researcher");
            // A date input takes its value in the browser's locale; set the ISO value the form posts.
            researcher.driver.executeScript("arguments[0].value = '1990-05-17'", researcher.find("#dateOfBirth"));
            researcher.type("nationality", "FR");
            assertEquals("date", researcher.find("#dateOfBirth").getAttribute("type"));
            researcher.screenshot("40-apply-date-of-birth");
            researcher.submit("application-form");
            researcher.waitForText("Research organisation");
            String url = researcher.driver.getCurrentUrl();
            applicationId = url.replaceAll(".*/applications/([^/]+)/step/.*", "$1");
            // The saved values come back into the form.
            researcher.go(gateway + "/portal/applications/" + applicationId + "/step/1");
            assertEquals("1990-05-17", researcher.find("#dateOfBirth").getAttribute("value"));
            assertEquals("FR", researcher.find("#nationality").getAttribute("value"));
        }
        String token = keycloak.userToken(username);
        JsonPath own = as(token, "GET", kyc + "/api/v1/applications/" + applicationId, null)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("1990-05-17", own.getString("dateOfBirth"));
        assertEquals("FR", own.getString("nationality"));
        // The rest of the application through the API, then submitted in the portal.
        Map<String, Object> rest = new HashMap<>();
        rest.put("affiliation", "Technical University of Munich");
        rest.put("rorId", "https://ror.org/02kkvpp62");
        rest.put("institutionalEmail", username + "@tum.de");
        rest.put("purpose", "Red-teaming refusal behaviour of frontier models for a peer-reviewed study.");
        rest.put("requestedTier", 1);
        rest.put("requestedModels", List.of(PolicyFixture.SMALL_MODEL));
        rest.put("fundingSources", "None");
        rest.put("conflictsOfInterest", "None");
        rest.put("termsAccepted", true);
        rest.put("termsVersion", "2026-01");
        as(token, "PUT", kyc + "/api/v1/applications/" + applicationId, rest)
                .then()
                .statusCode(200);
        try (Browser researcher = Browser.open().signIn(gateway, username)) {
            researcher.go(gateway + "/portal/applications/" + applicationId);
            researcher.submit("submit-form");
            researcher.waitForText("IN_REVIEW");
        }
        // The reviewer's page: the listed person's entries, marked as born on another date, with the explanation.
        try (Browser rita = Browser.open().signIn(gateway, "rita")) {
            rita.go(gateway + "/portal/review/" + applicationId);
            rita.waitForText("birth date differs");
            String table = rita.find("#candidates-table").getText();
            assertTrue(table.contains("applicant 1990-05-17, listed 1971-03-02"), table);
            assertTrue(table.contains("nationality differs (applicant FR, listed ru)"), table);
            rita.screenshot("41-review-namesake-birth-date-differs");
        }
    }

    @Test
    void anApprovalIsVoidOnceItsReviewerDeclaresAConflict(LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        String kyc = suite.serviceUrl("kyc-service");
        String model = "conflict-frontier-" + UUID.randomUUID().toString().substring(0, 8);
        new PolicyFixture(suite, keycloak)
                .putModel(model, 2e25, List.of())
                .then()
                .statusCode(200);
        String username = "coi" + UUID.randomUUID().toString().substring(0, 6);
        keycloak.newUser(username, List.of("researcher"));
        String token = keycloak.userToken(username);
        Map<String, Object> body = new HashMap<>();
        body.put("legalName", "Cora Conflictprobe");
        body.put("email", username + "@example.org");
        body.put("institutionalEmail", username + "@tum.de");
        body.put("orcid", "0000-0002-1825-0097");
        body.put("affiliation", "Technical University of Munich");
        body.put("rorId", "https://ror.org/02kkvpp62");
        body.put("country", "DE");
        body.put("position", "Postdoctoral researcher");
        body.put("purpose", "Red-teaming refusal behaviour of frontier models for a peer-reviewed study.");
        body.put("requestedTier", 3);
        body.put("requestedModels", List.of(model));
        body.put("fundingSources", "DFG grant 123456");
        body.put("conflictsOfInterest", "None");
        body.put("termsAccepted", true);
        body.put("termsVersion", "2026-01");
        String id = as(token, "POST", kyc + "/api/v1/applications", body)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(token, "POST", kyc + "/api/v1/applications/" + id + "/submit", null)
                .then()
                .statusCode(200);

        try (Browser rita = Browser.open().signIn(gateway, "rita")) {
            rita.go(gateway + "/portal/review/" + id);
            rita.submit("claim-form");
            rita.type("reason", "Affiliation and purpose confirmed.");
            rita.submit("decide-form");
            rita.waitForText("approvals this round: 1 of 2");
            // Then rita realises she knows the applicant, and says so.
            rita.type("conflict-reason", "The applicant is a former co-author.");
            rita.click(By.cssSelector("form[action$='/conflict'] button[type=submit]"));
            rita.waitForText("Review queue");
            rita.go(gateway + "/portal/review/" + id);
            rita.waitForText("You declared a conflict of interest");
            rita.screenshot("42-conflicted-reviewer-barred");
        }
        try (Browser ravi = Browser.open().signIn(gateway, "ravi")) {
            ravi.go(gateway + "/portal/review/" + id);
            // rita's approval is listed but no longer counts: none of the two needed.
            ravi.waitForText("Affiliation and purpose confirmed.");
            assertEquals("0 of 2", ravi.find("#approvals").getText());
            ravi.screenshot("43-approval-void-after-conflict");
            ravi.submit("claim-form");
            ravi.type("reason", "Second look: funding and conflicts disclosed.");
            ravi.submit("decide-form");
            ravi.waitForText("approvals this round: 1 of 2");
            // Still in review: another distinct reviewer without a conflict must approve.
            assertEquals("IN_REVIEW", ravi.find("#state").getText());
        }
    }
}
