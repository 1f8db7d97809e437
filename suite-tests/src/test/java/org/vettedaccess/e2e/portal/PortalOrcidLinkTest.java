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
