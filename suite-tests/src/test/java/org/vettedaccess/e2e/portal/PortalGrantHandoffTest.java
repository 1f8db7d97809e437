package org.vettedaccess.e2e.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Issue 19, items 7 to 9, in headless Chromium through the running suite: the apply form starts with the name and
 * email of the researcher's Keycloak profile; the models come from access-policy's catalog with their tiers, and the
 * tier requested follows from them (a forged model id or a tier below the models' need is refused by the portal's
 * server); a tier-2 approval waits in the policy admin's grant queue with the models and purpose applied for, and is
 * issued (through the ledger: refused while the ledger is down) or refused with a reason only that researcher sees,
 * as a handoff.refused leaf committing to the reason (through the outbox: a refusal with the ledger down is in force
 * at once and its leaf arrives later; ADR 0084). The manual grant form picks the researcher by name and the models
 * from the catalog, and refuses a forged subject or model beside the field (ADR 0081). A researcher's or a KYC
 * reviewer's session posting the admin's forms gets 403. Fresh researchers; victor never.
 */
@ExtendWith(RunningSuite.class)
class PortalGrantHandoffTest {

    private static final String PURPOSE = "Measuring refusal consistency of mid-size models for a peer-reviewed study.";

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

    /** A legal name no sanctions list has: a fixed first name and a random all-letter surname. */
    private static String uniqueName(String first) {
        StringBuilder surname = new StringBuilder("Handoff");
        for (char c :
                UUID.randomUUID().toString().replace("-", "").substring(0, 8).toCharArray()) {
            surname.append((char) ('a' + Character.digit(c, 16)));
        }
        return first + " " + surname;
    }

    private static Map<String, Object> institution(String username) {
        Map<String, Object> body = new HashMap<>();
        body.put("affiliation", "Technical University of Munich");
        body.put("rorId", "02kkvpp62");
        body.put("institutionalEmail", username + "@tum.de");
        return body;
    }

    @Test
    void theFormIsPrefilledOffersTheCatalogAndATier2ApprovalIsIssuedFromTheQueue(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        String gateway = suite.serviceUrl("gateway");
        String kyc = suite.serviceUrl("kyc-service");
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String small = "handoff-small-" + suffix;
        String medium = "handoff-medium-" + suffix;
        policy.putModel(small, 1e22, List.of())
                .then()
                .statusCode(200)
                .body("requiredTier", org.hamcrest.Matchers.equalTo(1));
        policy.putModel(medium, 5e23, List.of())
                .then()
                .statusCode(200)
                .body("requiredTier", org.hamcrest.Matchers.equalTo(2));
        String username = "hana" + suffix;
        String subject = keycloak.newUser(username, List.of("researcher"));
        String name = uniqueName("Hana");
        String applicationId;

        try (Browser hana = Browser.open().signIn(gateway, username)) {
            // 7. Name and email from the Keycloak profile (Keycloak.newUser: first name = username, last "Example").
            hana.go(gateway + "/portal/apply");
            assertEquals(username + " Example", hana.find("#legalName").getAttribute("value"));
            assertEquals(username + "@example.org", hana.find("#email").getAttribute("value"));
            hana.screenshot("60-apply-prefilled-from-profile");
            // Still editable: the legal name differs from the profile's.
            hana.type("legalName", name);
            hana.type("orcid", "0000-0002-1825-0097");
            hana.type("country", "DE");
            hana.type("position", "Postdoctoral researcher");
            hana.submit("application-form");
            hana.waitForText("Research organisation");
            String url = hana.driver.getCurrentUrl();
            applicationId = url.replaceAll(".*/applications/([^/]+)/step/.*", "$1");
            String token = keycloak.userToken(username);
            as(token, "PUT", kyc + "/api/v1/applications/" + applicationId, institution(username))
                    .then()
                    .statusCode(200);
            JsonPath saved = as(token, "GET", kyc + "/api/v1/applications/" + applicationId, null)
                    .jsonPath();
            assertEquals(name, saved.getString("legalName"));
            assertEquals(username + "@example.org", saved.getString("email"));

            // 8. The catalog's models, each with the tier it needs; no id is typed and no tier field exists.
            hana.go(gateway + "/portal/applications/" + applicationId + "/step/3");
            String fieldset = hana.find("#requestedModels").getText();
            assertTrue(fieldset.contains(small + " needs tier 1"), fieldset);
            assertTrue(fieldset.contains(medium + " needs tier 2"), fieldset);
            assertTrue(hana.driver
                    .findElements(By.cssSelector("input[name=requestedTier]"))
                    .isEmpty());
            hana.type("purpose", PURPOSE);
            hana.type("fundingSources", "University funds only");
            hana.type("conflictsOfInterest", "None");
            hana.find("input[name=termsAccepted]").click();
            // A forged model id (the checkbox's value rewritten in the page) is refused by the portal's server.
            tick(hana, small);
            hana.driver.executeScript(
                    "arguments[0].value = 'gpt-not-in-catalog'", hana.find("input[value='" + small + "']"));
            hana.submit("application-form");
            hana.waitForText("gpt-not-in-catalog is not a model of the catalog");
            assertEquals("true", hana.find("#requestedModels").getAttribute("aria-invalid"));
            // A tier sent below what the models need is refused too.
            tick(hana, medium);
            hana.driver.executeScript("var t = document.createElement('input'); t.type = 'hidden';"
                    + " t.name = 'requestedTier'; t.value = '1'; document.getElementById('application-form')"
                    + ".appendChild(t);");
            hana.submit("application-form");
            hana.waitForText("tier 1 is below what the models need (" + medium + " needs tier 2)");
            // Two models picked (medium is still ticked from the refused form): the tier is the higher need, 2.
            tick(hana, small);
            if (!hana.find("input[name=termsAccepted]").isSelected()) {
                hana.find("input[name=termsAccepted]").click();
            }
            hana.screenshot("61-apply-models-from-catalog");
            hana.submit("application-form");
            hana.waitForText("Submit for vetting");
            JsonPath picked = as(token, "GET", kyc + "/api/v1/applications/" + applicationId, null)
                    .jsonPath();
            assertEquals(2, picked.getInt("requestedTier"));
            assertEquals(Set.of(small, medium), Set.copyOf(picked.getList("requestedModels")));
            hana.submit("submit-form");
            hana.waitForText("IN_REVIEW");
        }

        approve(keycloak, kyc, applicationId);
        String paulaToken = keycloak.userToken("paula");
        String handoff = awaitHandoff(policy, paulaToken, subject);
        JsonPath queued = as(paulaToken, "GET", policy.url + "/api/v1/grant-handoffs", null)
                .jsonPath();
        String at = "find { it.id == '" + handoff + "' }";
        assertEquals(2, queued.getInt(at + ".tier"));
        assertEquals(Set.of(small, medium), Set.copyOf(queued.getList(at + ".models")));
        assertEquals(PURPOSE, queued.getString(at + ".purpose"));

        // Issuing goes through the ledger: with the ledger down it is refused and the researcher stays queued.
        try {
            suite.stop("usage-ledger");
            Response down =
                    as(paulaToken, "POST", policy.url + "/api/v1/grant-handoffs/" + handoff + "/issue", Map.of());
            assertEquals(503, down.statusCode(), down.asString());
        } finally {
            suite.restart("usage-ledger");
        }
        assertTrue(
                as(paulaToken, "GET", policy.url + "/api/v1/grant-handoffs", null)
                        .jsonPath()
                        .getList("id")
                        .contains(handoff),
                "a grant that could not be written stays in the queue");
        assertEquals(0, grantsOf(policy, subject).size());

        // 9. The policy admin sees the researcher by name with what they applied for, and issues with one button.
        try (Browser paula = Browser.open().signIn(gateway, "paula")) {
            paula.go(gateway + "/portal/admin/handoffs");
            paula.waitForText(name);
            String row = paula.find("#handoff-" + handoff).getText();
            assertTrue(row.contains(small) && row.contains(medium), row);
            assertTrue(row.contains(PURPOSE), row);
            paula.screenshot("62-grant-queue");
            issueWhenLedgerIsBack(paula, handoff);
            assertTrue(paula.driver.findElements(By.id("handoff-" + handoff)).isEmpty());
        }
        List<Map<String, Object>> grants = grantsOf(policy, subject);
        assertEquals(1, grants.size());
        assertEquals("ACTIVE", grants.get(0).get("status"));
        assertEquals(2, grants.get(0).get("tier"));
        assertEquals(Set.of(small, medium), Set.copyOf((List<?>) grants.get(0).get("models")));
        assertEquals(PURPOSE, grants.get(0).get("purpose"));
        assertEquals("ALLOW", policy.decision(subject, medium));
        try (Browser hana = Browser.open().signIn(gateway, username)) {
            hana.go(gateway + "/portal/applications/" + applicationId);
            hana.waitForText("issued (see Grants)");
        }
    }

    @Test
    void aRefusalIsReadByItsResearcherAloneAndNoOneButAnAdminCanPostTheQueuesForms(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        String gateway = suite.serviceUrl("gateway");
        String kyc = suite.serviceUrl("kyc-service");
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String medium = "handoff-refuse-" + suffix;
        policy.putModel(medium, 5e23, List.of()).then().statusCode(200);
        String userA = "ada" + suffix;
        String userB = "bo" + suffix;
        String subjectA = keycloak.newUser(userA, List.of("researcher"));
        String subjectB = keycloak.newUser(userB, List.of("researcher"));
        String applicationA = applied(kyc, keycloak, userA, uniqueName("Ada"), medium);
        String applicationB = applied(kyc, keycloak, userB, uniqueName("Bo"), medium);
        approve(keycloak, kyc, applicationA);
        approve(keycloak, kyc, applicationB);
        String paulaToken = keycloak.userToken("paula");
        String handoffA = awaitHandoff(policy, paulaToken, subjectA);
        String handoffB = awaitHandoff(policy, paulaToken, subjectB);

        // The attackers' real sessions, each with its own valid CSRF token, post the admin's issue form: 403.
        for (String attacker : List.of(userA, "rita")) {
            try (Browser browser = Browser.open().signIn(gateway, attacker)) {
                browser.go(gateway + "/portal");
                String csrf = browser.find("meta[name=csrf-token]").getAttribute("content");
                for (String action : List.of("issue", "refuse")) {
                    Response posted = given().redirects()
                            .follow(false)
                            .header("Cookie", browser.cookieHeader())
                            .contentType(ContentType.URLENC)
                            .formParam("csrf", csrf)
                            .formParam("reason", "forged")
                            .post(gateway + "/portal/admin/handoffs/" + handoffA + "/" + action);
                    assertEquals(403, posted.statusCode(), attacker + " " + action + ": " + posted.asString());
                }
                browser.go(gateway + "/portal/admin/handoffs");
                assertTrue(browser.text().contains("for policy admins"), browser.text());
            }
            // And their tokens at access-policy's API.
            String token = keycloak.userToken(attacker);
            assertEquals(
                    403,
                    as(token, "POST", policy.url + "/api/v1/grant-handoffs/" + handoffA + "/issue", Map.of())
                            .statusCode());
            assertEquals(
                    403,
                    as(token, "GET", policy.url + "/api/v1/grant-handoffs", null)
                            .statusCode());
        }
        assertEquals(0, grantsOf(policy, subjectA).size());

        // The admin refuses A's with a reason; a refusal needs one.
        String reason = "Purpose does not cover " + medium + " (ref " + suffix + ").";
        try (Browser paula = Browser.open().signIn(gateway, "paula")) {
            paula.go(gateway + "/portal/admin/handoffs");
            paula.find("#reason-" + handoffA);
            paula.type("reason-" + handoffA, reason);
            paula.submit("refuse-" + handoffA);
            paula.waitForText("the researcher sees why");
            assertTrue(paula.driver.findElements(By.id("handoff-" + handoffA)).isEmpty());
            assertFalse(paula.driver.findElements(By.id("handoff-" + handoffB)).isEmpty());
        }
        Response again = as(paulaToken, "POST", policy.url + "/api/v1/grant-handoffs/" + handoffA + "/issue", Map.of());
        assertEquals(409, again.statusCode(), again.asString());
        Response noReason =
                as(paulaToken, "POST", policy.url + "/api/v1/grant-handoffs/" + handoffB + "/refuse", Map.of());
        assertEquals(400, noReason.statusCode(), noReason.asString());

        try (Browser ada = Browser.open().signIn(gateway, userA)) {
            ada.go(gateway + "/portal/applications/" + applicationA);
            ada.waitForText(reason);
            ada.screenshot("63-grant-refused-with-reason");
        }
        try (Browser bo = Browser.open().signIn(gateway, userB)) {
            bo.go(gateway + "/portal/applications/" + applicationB);
            bo.waitForText("awaiting a policy admin");
            assertFalse(bo.text().contains(reason), bo.text());
            // Nor A's application page.
            bo.go(gateway + "/portal/applications/" + applicationA);
            assertFalse(bo.text().contains(reason), bo.text());
        }
        String mineB = as(keycloak.userToken(userB), "GET", policy.url + "/api/v1/grant-handoffs/mine", null)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(mineB.contains(reason), mineB);
        assertFalse(mineB.contains(handoffA), mineB);
        assertTrue(mineB.contains(handoffB), mineB);

        // A refusal is a handoff.refused leaf (ADR 0084) that commits to the reason without holding it. It never
        // waits on the ledger: with the ledger down B's refusal is in force at once, and its leaf arrives later.
        String reasonB = "No tier-2 need shown for " + medium + " (ref " + suffix + "-b).";
        try {
            suite.stop("usage-ledger");
            Response down = as(
                    paulaToken,
                    "POST",
                    policy.url + "/api/v1/grant-handoffs/" + handoffB + "/refuse",
                    Map.of("reason", reasonB));
            assertEquals(200, down.statusCode(), down.asString());
            assertEquals("REFUSED", down.path("status"));
            assertNull(down.path("leafIndex"), "the leaf waits in the outbox while the ledger is down");
            try (Browser bo = Browser.open().signIn(gateway, userB)) {
                bo.go(gateway + "/portal/applications/" + applicationB);
                bo.waitForText(reasonB);
            }
        } finally {
            suite.restart("usage-ledger");
        }
        Map<String, Object> refusedA = refusalOf(keycloak, policy, userA, handoffA);
        Map<String, Object> refusedB = refusalOf(keycloak, policy, userB, handoffB);
        String leaves = given().auth()
                .oauth2(keycloak.userToken("greg"))
                .queryParam("type", "handoff.refused")
                .queryParam("limit", 500)
                .get(policy.ledger.url() + "/api/v1/entries")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(leaves.contains(reason) || leaves.contains(reasonB), "no reason text in the log: " + leaves);
        List<Map<String, Object>> entries = JsonPath.from(leaves).getList("entries");
        for (Map<String, Object> refused : List.of(refusedA, refusedB)) {
            String text = refused == refusedA ? reason : reasonB;
            Map<String, Object> leaf = entries.stream()
                    .filter(e -> refused.get("id").equals(((Map<?, ?>) e.get("entry")).get("handoffId")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no handoff.refused leaf for " + refused.get("id")));
            assertEquals(((Number) refused.get("leafIndex")).longValue(), ((Number) leaf.get("index")).longValue());
            Map<?, ?> entry = (Map<?, ?>) leaf.get("entry");
            assertEquals(commitment((String) refused.get("reasonSalt"), text), entry.get("reasonCommitment"));
            assertEquals(List.of(medium), entry.get("models"));
            assertEquals(2, entry.get("tier"));
        }
    }

    /** The researcher's refused hand-off, once the outbox has delivered its leaf (within 60 s of the ledger's return). */
    private static Map<String, Object> refusalOf(
            Keycloak keycloak, PolicyFixture policy, String username, String handoff) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<Map<String, Object>> mine = as(
                            keycloak.userToken(username), "GET", policy.url + "/api/v1/grant-handoffs/mine", null)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$");
            Map<String, Object> refused = mine.stream()
                    .filter(h -> handoff.equals(h.get("id")))
                    .findFirst()
                    .orElseThrow();
            assertEquals("REFUSED", refused.get("status"));
            if (refused.get("leafIndex") != null) {
                return refused;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the refusal's leaf never arrived: " + refused);
            }
            sleep(500);
        }
    }

    /** Hex SHA-256 of the salt's bytes followed by the reason's UTF-8, as the leaf commits to it. */
    private static String commitment(String salt, String reason) {
        try {
            java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
            sha256.update(java.util.HexFormat.of().parseHex(salt));
            return java.util.HexFormat.of()
                    .formatHex(sha256.digest(reason.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The manual grant form (ADR 0081): the admin finds the approved researcher by name and ticks models from the
     * catalog, the tier following from them; a forged subject or model is refused beside its field and issues
     * nothing (a reviewer's or a researcher's session posting the form: {@link #noOneButAPolicyAdminCanPostTheManualGrantForm}).
     */
    @Test
    void theManualGrantFormPicksTheResearcherByNameAndTheModelsFromTheCatalog(LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        String kyc = suite.serviceUrl("kyc-service");
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String medium = "picker-medium-" + suffix;
        policy.putModel(medium, 5e23, List.of()).then().statusCode(200);
        String username = "gil" + suffix;
        String subject = keycloak.newUser(username, List.of("researcher"));
        String name = uniqueName("Gil");
        String surname = name.substring(name.indexOf(' ') + 1);
        approve(keycloak, kyc, applied(kyc, keycloak, username, name, medium));
        String paulaToken = keycloak.userToken("paula");
        awaitHandoff(policy, paulaToken, subject); // access-policy has the approval

        String forged = UUID.randomUUID().toString();
        try (Browser paula = Browser.open().signIn(gateway, "paula")) {
            paula.go(gateway + "/portal/admin/grants");
            paula.type("name", surname);
            paula.submit("find-form");
            paula.waitForText(name);
            paula.find("#choose-" + subject).click();
            paula.waitForText("Issue a grant to " + name);
            // Nothing to type an id into: the subject is the chosen researcher, the models are the catalog's.
            assertEquals("hidden", paula.find("#subject").getAttribute("type"));
            assertEquals("checkbox", paula.find("#grant-model-" + medium).getAttribute("type"));
            paula.screenshot("64-grant-form-pickers");

            // A forged subject (the hidden field rewritten in the page) is refused beside the field.
            fillGrant(paula, medium);
            paula.driver.executeScript("document.getElementById('subject').value = arguments[0]", forged);
            paula.submit("grant-form");
            paula.waitForText("no researcher with a KYC application has this id");
            assertNotNull(paula.find("#subject-error"));
            assertEquals("true", paula.find("#subject").getAttribute("aria-invalid"));

            // A forged model id (a checkbox's value rewritten) is refused beside the models.
            paula.go(gateway + "/portal/admin/grants?subject=" + subject);
            fillGrant(paula, medium);
            paula.driver.executeScript(
                    "arguments[0].value = 'gpt-not-in-catalog'", paula.find("#grant-model-" + medium));
            paula.submit("grant-form");
            paula.waitForText("gpt-not-in-catalog is not a model of the catalog");
            assertEquals("true", paula.find("#models").getAttribute("aria-invalid"));
            assertEquals(0, grantsOf(policy, subject).size());
            assertEquals(0, grantsOf(policy, forged).size());

            // The real form: the grant's tier is the one the model needs.
            paula.go(gateway + "/portal/admin/grants?subject=" + subject);
            fillGrant(paula, medium);
            paula.submit("grant-form");
            paula.waitForText("Grants of " + name);
            assertTrue(paula.find("#grants-table").getText().contains(medium));
        }
        List<Map<String, Object>> grants = grantsOf(policy, subject);
        assertEquals(1, grants.size());
        assertEquals(2, grants.get(0).get("tier"));
        assertEquals(List.of(medium), grants.get(0).get("models"));
        assertEquals("ALLOW", policy.decision(subject, medium));
    }

    /**
     * The grant form's picker asks kyc-service for approved researchers by name (ADR 0081): a policy admin's token
     * finds them; a KYC reviewer's and the researcher's own get 403 (names are for the admins who grant).
     */
    @Test
    void kycServiceFindsApprovedResearchersByNameForAPolicyAdminAlone(LocalSuite suite, Keycloak keycloak) {
        String kyc = suite.serviceUrl("kyc-service");
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String medium = "picker-search-" + suffix;
        policy.putModel(medium, 5e23, List.of()).then().statusCode(200);
        String username = "eli" + suffix;
        String subject = keycloak.newUser(username, List.of("researcher"));
        String name = uniqueName("Eli");
        String surname = name.substring(name.indexOf(' ') + 1);
        approve(keycloak, kyc, applied(kyc, keycloak, username, name, medium));
        String paulaToken = keycloak.userToken("paula");
        awaitHandoff(policy, paulaToken, subject);
        String found = given().auth()
                .oauth2(paulaToken)
                .queryParam("name", surname.toLowerCase())
                .get(kyc + "/api/v1/applicants")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(found.contains(subject) && found.contains(name), found);
        for (String other : List.of("rita", username)) {
            Response refused = given().auth()
                    .oauth2(keycloak.userToken(other))
                    .queryParam("name", surname)
                    .get(kyc + "/api/v1/applicants");
            assertEquals(403, refused.statusCode(), other + ": " + refused.asString());
        }
    }

    /**
     * A reviewer's and a researcher's real sessions, each with its own valid CSRF token, post the manual grant form
     * for an approved researcher and a catalog model: 403, and no grant.
     */
    @Test
    void noOneButAPolicyAdminCanPostTheManualGrantForm(LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        String kyc = suite.serviceUrl("kyc-service");
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String medium = "picker-forged-" + suffix;
        policy.putModel(medium, 5e23, List.of()).then().statusCode(200);
        String username = "ida" + suffix;
        String subject = keycloak.newUser(username, List.of("researcher"));
        approve(keycloak, kyc, applied(kyc, keycloak, username, uniqueName("Ida"), medium));
        awaitHandoff(policy, keycloak.userToken("paula"), subject);
        for (String attacker : List.of("rita", username)) {
            try (Browser browser = Browser.open().signIn(gateway, attacker)) {
                browser.go(gateway + "/portal");
                String csrf = browser.find("meta[name=csrf-token]").getAttribute("content");
                Response posted = given().redirects()
                        .follow(false)
                        .header("Cookie", browser.cookieHeader())
                        .contentType(ContentType.URLENC)
                        .formParam("csrf", csrf)
                        .formParam("subject", subject)
                        .formParam("models", medium)
                        .formParam("purpose", PURPOSE)
                        .formParam("days", "30")
                        .post(gateway + "/portal/admin/grants");
                assertEquals(403, posted.statusCode(), attacker + ": " + posted.asString());
                // The portal's own refusal, not a service's answer inside the admin's page.
                assertTrue(posted.asString().contains("Grants are managed by policy admins."), posted.asString());
                browser.go(gateway + "/portal/admin/grants?name=" + username);
                assertTrue(browser.text().contains("Grants are managed by policy admins."), browser.text());
            }
        }
        assertEquals(0, grantsOf(policy, subject).size());
    }

    /** Ticks the model and fills the purpose and days of the grant form. */
    private static void fillGrant(Browser paula, String model) {
        paula.find("#grant-model-" + model).click();
        paula.type("purpose", PURPOSE);
        paula.type("days", "30");
    }

    // ---- helpers ----

    /** A complete tier-2 application by the user, through kyc-service's API, submitted. */
    private static String applied(String kyc, Keycloak keycloak, String username, String legalName, String model) {
        String token = keycloak.userToken(username);
        Map<String, Object> body = institution(username);
        body.put("legalName", legalName);
        body.put("email", username + "@example.org");
        body.put("orcid", "0000-0002-1825-0097");
        body.put("country", "DE");
        body.put("position", "Postdoctoral researcher");
        body.put("purpose", PURPOSE);
        body.put("requestedTier", 2);
        body.put("requestedModels", List.of(model));
        body.put("fundingSources", "University funds only");
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
        return id;
    }

    /** rita approves (one approval is enough below tier 3). */
    private static void approve(Keycloak keycloak, String kyc, String applicationId) {
        String rita = keycloak.userToken("rita");
        as(rita, "POST", kyc + "/api/v1/applications/" + applicationId + "/claim", null)
                .then()
                .statusCode(200);
        as(
                        rita,
                        "POST",
                        kyc + "/api/v1/applications/" + applicationId + "/decide",
                        Map.of("decision", "APPROVE", "reason", "Affiliation and purpose confirmed."))
                .then()
                .statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("APPROVED"));
    }

    /** The subject's hand-off id, once kyc-service's outbox has told access-policy of the approval. */
    private static String awaitHandoff(PolicyFixture policy, String admin, String subject) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> queue = as(admin, "GET", policy.url + "/api/v1/grant-handoffs", null)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$");
            for (Map<String, Object> h : queue) {
                if (subject.equals(h.get("subject"))) {
                    return (String) h.get("id");
                }
            }
            sleep(300);
        }
        throw new AssertionError("no grant hand-off for " + subject + " within 30 s");
    }

    /** Issues from the queue; the ledger just restarted, so a 503 is retried (the row stays until it is issued). */
    private static void issueWhenLedgerIsBack(Browser paula, String handoff) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            paula.submit("issue-" + handoff);
            String text = paula.text();
            if (text.contains("Grant issued.")) {
                return;
            }
            assertNotNull(paula.find("#handoff-error"));
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not issued: " + text);
            }
            sleep(1000);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Ticks or unticks a model's checkbox on step 3. */
    private static void tick(Browser browser, String model) {
        browser.find("input[name=requestedModels][value='" + model + "']").click();
    }

    private static List<Map<String, Object>> grantsOf(PolicyFixture policy, String subject) {
        return given().auth()
                .oauth2(policy.admin())
                .queryParam("subject", subject)
                .get(policy.url + "/api/v1/grants")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }
}
