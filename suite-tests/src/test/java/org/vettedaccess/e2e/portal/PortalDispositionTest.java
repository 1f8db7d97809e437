package org.vettedaccess.e2e.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
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
 * The sanctions candidates in the portal, in headless Chromium: the reviewer's page shows them with a disposition
 * form (a false positive with evidence, a true match that rejects), and victor's own pages never show list data
 * (no tipping-off). victor is never approved (other tests rely on it): his application ends rejected.
 */
@ExtendWith(RunningSuite.class)
class PortalDispositionTest {

    /** The applications here name a catalog model: kyc-service refuses others (ADR 0042). */
    @BeforeEach
    void catalogHoldsTheModelApplied(LocalSuite suite, Keycloak keycloak) {
        new PolicyFixture(suite, keycloak).smallModel();
    }

    private static final List<String> LIST_DATA = List.of(
            "demo-0001",
            "90001",
            "opensanctions",
            "ofac",
            "sdn.csv",
            "SANCTIONLISTED, Viktor",
            "Санкционлистед",
            "score",
            "candidate",
            "possible match",
            "FALSE_POSITIVE",
            "TRUE_MATCH");

    private static void assertNoListData(String page, String text) {
        for (String secret : LIST_DATA) {
            assertFalse(text.contains(secret), page + " tips victor off with '" + secret + "': " + text);
        }
    }

    @Test
    void theReviewerDispositionsCandidatesInThePortalAndVictorsPagesShowNoListData(
            LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        String kyc = suite.serviceUrl("kyc-service");
        Map<String, Object> body = new HashMap<>();
        body.put("legalName", "Viktor Sanctionlisted");
        body.put("email", "victor@example.org");
        body.put("institutionalEmail", "victor@tum.de");
        body.put("orcid", "0000-0002-1825-0097");
        body.put("affiliation", "Technical University of Munich");
        body.put("rorId", "02kkvpp62");
        body.put("country", "DE");
        body.put("position", "Visiting researcher");
        body.put("purpose", "Studying refusal behaviour.");
        body.put("requestedTier", 1);
        body.put("requestedModels", List.of(PolicyFixture.SMALL_MODEL));
        body.put("termsAccepted", true);
        body.put("termsVersion", "2026-01");
        String victor = keycloak.userToken("victor");
        String id = given().auth()
                .oauth2(victor)
                .contentType(ContentType.JSON)
                .body(body)
                .post(kyc + "/api/v1/applications")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().auth()
                .oauth2(victor)
                .post(kyc + "/api/v1/applications/" + id + "/submit")
                .then()
                .statusCode(200);
        JsonPath review = given().auth()
                .oauth2(keycloak.userToken("rita"))
                .get(kyc + "/api/v1/review/applications/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String listed = review.getString("candidates.find { it.entryId == 'demo-0001' }.id");
        String ofac = review.getString("candidates.find { it.entryId == '90001' }.id");

        try (Browser browser = Browser.open().signIn(gateway, "victor")) {
            browser.go(gateway + "/portal/applications/" + id);
            browser.waitForText("additional checks in progress");
            assertEquals("IN_REVIEW", browser.find("#state").getText());
            assertNoListData("his application page", browser.text());
            assertNoListData("his application page's HTML", browser.driver.getPageSource());
            browser.screenshot("30-victor-in-review-no-list-data");
            browser.go(gateway + "/portal");
            assertNoListData("his home page", browser.text());
        }

        try (Browser rita = Browser.open().signIn(gateway, "rita")) {
            rita.go(gateway + "/portal/review/" + id);
            rita.waitForText("Sanctions candidates");
            String table = rita.find("#candidates-table").getText();
            assertTrue(table.contains("demo-0001") && table.contains("90001"), table);
            assertTrue(table.contains("strong match"), table);
            rita.screenshot("31-review-candidates");

            // A disposition form without its CSRF token is refused.
            Response forged = given().config(RestAssuredConfig.config()
                            .redirect(RedirectConfig.redirectConfig().followRedirects(false)))
                    .header("Cookie", rita.cookieHeader())
                    .contentType("application/x-www-form-urlencoded")
                    .formParam("candidate", ofac)
                    .formParam("disposition", "FALSE_POSITIVE")
                    .formParam("evidence", "forged")
                    .post(gateway + "/portal/review/" + id + "/disposition");
            assertEquals(403, forged.statusCode(), forged.asString());

            // A false positive on a strong match: recorded, and a second reviewer is still needed.
            rita.type("evidence-" + listed, "Listed DOB 1971-03-02; the applicant's passport says 1990-05-17.");
            rita.submit("disposition-" + listed);
            rita.waitForText("Listed DOB 1971-03-02");
            String row =
                    rita.find("#candidates-table tr[data-entry='demo-0001']").getText();
            assertTrue(row.contains("FALSE_POSITIVE") && row.contains("OPEN"), row);
            // The reviewer is shown by name (Keycloak's), not by subject id (ADR 0094).
            assertTrue(row.contains("by Rita Okafor"), row);
            rita.screenshot("32-false-positive-recorded");

            // A true match rejects the application.
            rita.find("#disposition-" + ofac + " input[value=TRUE_MATCH]").click();
            rita.type("evidence-" + ofac, "Same date of birth and passport number as the SDN entry.");
            rita.submit("disposition-" + ofac);
            rita.waitForText("REJECTED");
            assertEquals("REJECTED", rita.find("#state").getText());
            rita.screenshot("33-true-match-rejected");
        }

        try (Browser browser = Browser.open().signIn(gateway, "victor")) {
            browser.go(gateway + "/portal/applications/" + id);
            browser.waitForText("REJECTED");
            assertNoListData("his rejected application page", browser.text());
            assertNoListData("his rejected application page's HTML", browser.driver.getPageSource());
            assertFalse(browser.text().contains("passport"), "the reviewers' evidence is not his to read");
            assertFalse(browser.text().contains("Rita Okafor"), "his reviewers' names are not his to read");
            browser.screenshot("34-victor-rejected-no-list-data");
        }
    }
}
