package org.vettedaccess.e2e.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * ORCID iDs proven by sign-in (issue 19 item 6, ADR 0048), through the suite's Keycloak, whose
 * {@code orcid-stand-in} realm plays ORCID (its user josiah's id, and so his {@code sub}, is the iD
 * 0000-0002-1825-0097). Researcher A links that account from the portal (Keycloak's {@code idp_link:orcid}
 * action) and applies: the iD is VERIFIED. Researcher B types the same iD, in the portal and through the API with
 * forged "verified" fields, and tries to write the {@code orcid} attribute through Keycloak's account API: it stays
 * UNVERIFIED. Fresh researchers rather than the demo alice: a link stays for the suite's life, and other tests
 * type this iD for alice.
 */
@ExtendWith(RunningSuite.class)
class PortalOrcidLinkTest {

    private static final String ORCID = "0000-0002-1825-0097";

    @Test
    void anIdFromTheLinkedOrcidAccountIsVerifiedAndATypedOneIsNot(LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        String kyc = suite.serviceUrl("kyc-service");
        String a = "orcida" + UUID.randomUUID().toString().substring(0, 6);
        String b = "orcidb" + UUID.randomUUID().toString().substring(0, 6);
        keycloak.newUser(a, List.of("researcher"));
        keycloak.newUser(b, List.of("researcher"));

        String aApplication;
        try (Browser researcher = Browser.open().signIn(gateway, a)) {
            researcher.go(gateway + "/portal/apply");
            researcher.click(By.id("link-orcid"));
            // Keycloak asks A to confirm the link, sends them to "ORCID" (the stand-in realm's login page), links
            // the account and comes back.
            researcher.screenshot("70-orcid-link-confirm");
            researcher.click(By.id("kc-continue"));
            researcher.find("#username");
            assertTrue(
                    researcher.driver.getCurrentUrl().contains("/realms/orcid-stand-in/"),
                    researcher.driver.getCurrentUrl());
            researcher.screenshot("71-orcid-stand-in-sign-in");
            researcher.type("username", "josiah");
            researcher.type("password", "josiah-demo");
            researcher.click(By.id("kc-login"));
            researcher.waitForText("Apply for access");
            assertEquals(ORCID, researcher.find("#orcid").getDomProperty("value"), "the linked iD is prefilled");
            aApplication = stepOne(researcher, a);
            researcher.go(gateway + "/portal/applications/" + aApplication);
            assertEquals("VERIFIED", researcher.find("#orcid-status").getText());
            researcher.screenshot("72-orcid-verified");
        }
        JsonPath own = application(kyc, keycloak.userToken(a), aApplication);
        assertEquals(ORCID, own.getString("orcid"));
        assertEquals("VERIFIED", own.getString("orcidStatus"));
        // A's tokens carry the iD as the claim kyc-service reads; it came from ORCID's sub, through the link.
        assertEquals(ORCID, Jwts.payload(keycloak.userToken(a)).path("orcid").asText());

        // B types A's iD in the portal, arriving with it in the prefill parameter too: not proven.
        String bApplication;
        try (Browser researcher = Browser.open().signIn(gateway, b)) {
            researcher.go(gateway + "/portal/apply?orcid=" + ORCID);
            bApplication = stepOne(researcher, b);
            researcher.go(gateway + "/portal/applications/" + bApplication);
            assertEquals("UNVERIFIED", researcher.find("#orcid-status").getText());
        }
        String bToken = keycloak.userToken(b);
        assertEquals("UNVERIFIED", application(kyc, bToken, bApplication).getString("orcidStatus"));

        // The reviewer sees which is which: A's proven iD passes its check, B's typed one waits for the reviewer.
        String model = new PolicyFixture(suite, keycloak).smallModel();
        submit(kyc, keycloak.userToken(a), aApplication, a, model);
        submit(kyc, bToken, bApplication, b, model);
        String rita = keycloak.userToken("rita");
        JsonPath aReviewed = reviewed(kyc, rita, aApplication);
        assertEquals("VERIFIED", aReviewed.getString("orcidStatus"));
        assertEquals("PASS", aReviewed.getString("checks.find { it.name == 'orcid' }.result"));
        JsonPath bReviewed = reviewed(kyc, rita, bApplication);
        assertEquals("UNVERIFIED", bReviewed.getString("orcidStatus"));
        assertEquals("REVIEW", bReviewed.getString("checks.find { it.name == 'orcid' }.result"));
        try (Browser reviewer = Browser.open().signIn(gateway, "rita")) {
            reviewer.go(gateway + "/portal/review/" + aApplication);
            assertEquals("VERIFIED", reviewer.find("#orcid-status").getText());
            reviewer.go(gateway + "/portal/review/" + bApplication);
            assertEquals("UNVERIFIED", reviewer.find("#orcid-status").getText());
            reviewer.waitForText("not proven by the applicant's ORCID sign-in");
            reviewer.screenshot("73-orcid-unverified-for-the-reviewer");
        }

        // Through the API, with every "verified" field a client might try: the body is never the proof.
        Map<String, Object> forged = Map.of(
                "legalName",
                "B Forger",
                "orcid",
                ORCID,
                "orcidStatus",
                "VERIFIED",
                "orcidVerified",
                true,
                "verified",
                true);
        String forgedId = given().auth()
                .oauth2(bToken)
                .contentType(ContentType.JSON)
                .body(forged)
                .post(kyc + "/api/v1/applications")
                .then()
                .statusCode(201)
                .body("orcidStatus", org.hamcrest.Matchers.equalTo("UNVERIFIED"))
                .extract()
                .path("id");
        given().auth()
                .oauth2(bToken)
                .contentType(ContentType.JSON)
                .body(forged)
                .put(kyc + "/api/v1/applications/" + forgedId)
                .then()
                .statusCode(200)
                .body("orcidStatus", org.hamcrest.Matchers.equalTo("UNVERIFIED"));

        // Nor can B write the attribute behind the claim: the realm's user profile lets only admins edit it.
        given().auth()
                .oauth2(bToken)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        b,
                        "email",
                        b + "@example.org",
                        "firstName",
                        b,
                        "lastName",
                        "Example",
                        "attributes",
                        Map.of("orcid", List.of(ORCID))))
                .post(suite.keycloakUrl() + "/realms/" + Keycloak.REALM + "/account/")
                .then()
                .statusCode(org.hamcrest.Matchers.not(org.hamcrest.Matchers.greaterThanOrEqualTo(500)));
        String after = keycloak.userToken(b);
        assertFalse(Jwts.payload(after).has("orcid"), "B's token carries no orcid claim: " + Jwts.payload(after));
        assertEquals("UNVERIFIED", application(kyc, after, forgedId).getString("orcidStatus"));
    }

    /** Step 1 of the apply form with the iD as it stands in the field; returns the new application's id. */
    private static String stepOne(Browser researcher, String username) {
        researcher.type("legalName", username + " Example");
        researcher.type("email", username + "@example.org");
        if (researcher.find("#orcid").getDomProperty("value").isEmpty()) {
            researcher.type("orcid", ORCID);
        }
        researcher.type("country", "DE");
        researcher.type("position", "Postdoctoral researcher");
        researcher.submit("application-form");
        researcher.waitForText("Research organisation");
        return researcher.driver.getCurrentUrl().replaceAll(".*/applications/([^/]+)/step/.*", "$1");
    }

    /** Completes the application through the API (its iD untouched) and submits it for review. */
    private static void submit(String kyc, String token, String id, String username, String model) {
        Map<String, Object> rest = new java.util.HashMap<>();
        rest.put("institutionalEmail", username + "@tum.de");
        rest.put("affiliation", "Technical University of Munich");
        rest.put("rorId", "https://ror.org/02kkvpp62");
        rest.put("purpose", "Red-teaming refusal behaviour of frontier models for a peer-reviewed study.");
        rest.put("requestedTier", 1);
        rest.put("requestedModels", List.of(model));
        rest.put("termsAccepted", true);
        rest.put("termsVersion", "2026-01");
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(rest)
                .put(kyc + "/api/v1/applications/" + id)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(token)
                .post(kyc + "/api/v1/applications/" + id + "/submit")
                .then()
                .statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("IN_REVIEW"));
    }

    private static JsonPath reviewed(String kyc, String reviewer, String id) {
        return given().auth()
                .oauth2(reviewer)
                .get(kyc + "/api/v1/review/applications/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static JsonPath application(String kyc, String token, String id) {
        return given().auth()
                .oauth2(token)
                .get(kyc + "/api/v1/applications/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
