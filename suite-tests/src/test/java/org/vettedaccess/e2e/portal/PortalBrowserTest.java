package org.vettedaccess.e2e.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Mailbox;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * The portal in a real browser (headless Chromium) against the running suite, with real Keycloak sign-ins: a
 * researcher applies for tier 3 and proves their email, two reviewers approve (four-eyes), the researcher
 * creates a key and calls a model with the OpenAI SDK, and the call shows in their usage. Role and CSRF refusals
 * are checked too. Screenshots of every step go to target/screenshots/.
 */
@ExtendWith(RunningSuite.class)
class PortalBrowserTest {

    @Test
    void aResearcherIsVettedThroughThePortalAndCallsAModelWithTheirNewKey(LocalSuite suite, Keycloak keycloak)
            throws java.io.IOException {
        String gateway = suite.serviceUrl("gateway");
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String model = "sim-portal-" + UUID.randomUUID().toString().substring(0, 6);
        policy.putModel(model, 2e25, List.of()).then().statusCode(200);
        String username = "pia" + UUID.randomUUID().toString().substring(0, 6);
        String subject = keycloak.newUser(username, List.of("researcher"));
        String address = username + "@tum.de";
        String applicationUrl;

        try (Browser pia = Browser.open().signIn(gateway, username)) {
            pia.screenshot("01-researcher-home");
            assertTrue(pia.text().contains("You have not applied yet"), pia.text());
            // Reviewer and admin links are not shown to a researcher.
            assertTrue(pia.driver
                    .findElements(org.openqa.selenium.By.linkText("Review queue"))
                    .isEmpty());

            pia.go(gateway + "/portal/apply");
            // A bad ORCID is refused by kyc-service and shown beside its field; nothing else is lost.
            pia.type("legalName", "Pia Portal");
            pia.type("email", username + "@example.org");
            pia.type("orcid", "0000-0002-1825-0098");
            pia.type("country", "DE");
            pia.type("position", "Postdoctoral researcher");
            pia.submit("application-form");
            pia.waitForText("check digit");
            assertEquals("true", pia.find("#orcid").getAttribute("aria-invalid"));
            assertEquals("Pia Portal", pia.find("#legalName").getAttribute("value"));
            pia.screenshot("02-apply-field-error");
            pia.type("orcid", "0000-0002-1825-0097");
            pia.submit("application-form");
            pia.waitForText("Research organisation");
            pia.screenshot("03-apply-step-2");

            int mailsBefore = suite.mailbox().to(address).size();
            pia.type("affiliation", "Technical University of Munich");
            pia.type("rorId", "02kkvpp62");
            pia.type("institutionalEmail", address);
            pia.submit("application-form");
            pia.waitForText("We mailed a six-digit code");
            pia.screenshot("04-email-code-sent");
            // A wrong code is refused in place, then the mailed one confirms the address.
            String code = Mailbox.code(suite, address, mailsBefore);
            pia.type("code", code.equals("000000") ? "111111" : "000000");
            pia.submit("code-form");
            pia.waitForText("does not match");
            pia.type("code", code);
            pia.submit("code-form");
            pia.waitForText("Research purpose");

            pia.type("purpose", "Red-teaming refusal behaviour of frontier models for a peer-reviewed study.");
            // The model is picked from the catalog; the tier requested (3) follows from it.
            pia.find("input[name=requestedModels][value='" + model + "']").click();
            pia.type("fundingSources", "DFG grant 123456");
            pia.type("conflictsOfInterest", "None");
            pia.find("input[name=termsAccepted]").click();
            pia.screenshot("05-apply-step-3");
            pia.submit("application-form");
            pia.waitForText("Submit for vetting");
            applicationUrl = pia.driver.getCurrentUrl();
            pia.submit("submit-form");
            pia.waitForText("A reviewer is looking at your application");
            assertEquals("IN_REVIEW", pia.find("#state").getText());
            assertTrue(pia.text().contains("institutional-email"), pia.text());
            pia.screenshot("06-application-in-review");
            pia.phoneScreenshot("06b-application-in-review-phone");
        }
        String applicationId = applicationUrl.substring(applicationUrl.lastIndexOf('/') + 1);

        // Two different reviewers approve the tier-3 application (four-eyes).
        try (Browser rita = Browser.open().signIn(gateway, "rita")) {
            rita.go(gateway + "/portal/review");
            rita.waitForText("Pia Portal");
            rita.screenshot("07-review-queue");
            rita.go(gateway + "/portal/review/" + applicationId);
            rita.submit("claim-form");
            rita.type("reason", "Affiliation confirmed by the email code; purpose is clear.");
            rita.submit("decide-form");
            rita.waitForText("approvals this round: 1 of 2");
            assertEquals("IN_REVIEW", rita.find("#state").getText());
            rita.screenshot("08-first-approval");
            // The same reviewer cannot take it again for a second approval.
            rita.submit("claim-form");
            rita.waitForText("a second, different reviewer must take it");
            rita.screenshot("08b-four-eyes-refusal");
        }
        try (Browser ravi = Browser.open().signIn(gateway, "ravi")) {
            ravi.go(gateway + "/portal/review/" + applicationId);
            ravi.submit("claim-form");
            ravi.type("reason", "Second approval: funding and conflicts disclosed.");
            ravi.submit("decide-form");
            ravi.waitForText("APPROVED");
            assertEquals("APPROVED", ravi.find("#state").getText());
            ravi.screenshot("09-second-approval");
        }

        // The policy admin grants from the queue: the approval waits there with the model and purpose applied for.
        try (Browser paula = Browser.open().signIn(gateway, "paula")) {
            paula.go(gateway + "/portal/admin/handoffs");
            paula.reloadUntil(subject);
            String row = paula.driver
                    .findElement(org.openqa.selenium.By.xpath("//tr[.//span[text()='" + subject + "']]"))
                    .getAttribute("id");
            String handoff = row.substring("handoff-".length());
            assertTrue(
                    paula.find("#" + row).getText().contains("Pia Portal"),
                    paula.find("#" + row).getText());
            assertTrue(
                    paula.find("#" + row).getText().contains(model),
                    paula.find("#" + row).getText());
            paula.type("days-" + handoff, "30");
            paula.submit("issue-" + handoff);
            paula.waitForText("Grant issued.");
            paula.go(gateway + "/portal/admin/grants?subject=" + subject);
            // The policy admin sees the researcher's name (from their KYC application) beside the subject id.
            paula.waitForText("Grants of Pia Portal");
            assertTrue(
                    paula.find("#grants-of").getText().contains(subject),
                    paula.find("#grants-of").getText());
            assertTrue(paula.find("#grants-table").getText().contains(model));
            assertTrue(paula.find("#grants-table").getText().contains("ACTIVE"));
            paula.screenshot("10a-admin-grant-issued");
        }
        String grantId = given().auth()
                .oauth2(policy.admin())
                .get(policy.url + "/api/v1/grants?subject=" + subject)
                .then()
                .statusCode(200)
                .extract()
                .path("[0].id");

        String key;
        try (Browser pia = Browser.open().signIn(gateway, username)) {
            pia.go(gateway + "/portal/grants");
            pia.waitForText(model);
            pia.screenshot("10-grants");
            pia.go(gateway + "/portal/keys");
            pia.type("name", "laptop");
            pia.submit("key-form");
            pia.waitForText("shown only once");
            key = pia.find("#secret").getAttribute("value");
            assertTrue(key.startsWith("va-"), key);
            assertTrue(
                    pia.find("#snippet").getText().contains("OpenAI(base_url="),
                    pia.find("#snippet").getText());
            pia.screenshot("11-key-created");
            // A second key, rotated (the new secret shown once, the old one working for its grace period) and
            // then revoked; the first key stays active.
            pia.go(gateway + "/portal/keys");
            pia.type("name", "spare");
            pia.submit("key-form");
            pia.waitForText("shown only once");
            String spare = pia.find("#secret").getAttribute("value");
            pia.go(gateway + "/portal/keys");
            pia.find("#key-list tr[data-name='spare'] form[action$='/rotate'] button")
                    .click();
            pia.waitForText("The key it replaces works until");
            String rotated = pia.find("#secret").getAttribute("value");
            assertFalse(rotated.equals(spare));
            pia.go(gateway + "/portal/keys");
            pia.find("#key-list tr[data-name='spare'][data-status='ACTIVE'] form[action$='/revoke'] button")
                    .click();
            pia.waitForText("REVOKED");
            assertEquals(
                    1,
                    pia.driver
                            .findElements(org.openqa.selenium.By.cssSelector(
                                    "#key-list tr[data-name='laptop'][data-status='ACTIVE']"))
                            .size());

            // A call through the official OpenAI SDK with that key.
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .baseUrl(gateway + "/v1")
                    .apiKey(key)
                    .maxRetries(0)
                    .timeout(Duration.ofSeconds(30))
                    .build();
            ChatCompletion completion = client.chat()
                    .completions()
                    .create(ChatCompletionCreateParams.builder()
                            .model(model)
                            .addUserMessage("Hello from the portal test.")
                            .maxCompletionTokens(16)
                            .build());
            assertFalse(completion.choices().isEmpty());

            // The call is counted once the gateway has recorded it (its outbox row), a moment after it ends.
            pia.go(gateway + "/portal/usage");
            pia.reloadUntil(model);
            assertTrue(pia.find("#usage-table").getText().contains(model));
            pia.screenshot("12-usage");

            // A researcher opening a reviewer's, an admin's or a regulator's page directly gets the 403 page.
            pia.go(gateway + "/portal/review");
            pia.waitForText("Not allowed");
            pia.screenshot("13-forbidden");
            for (String page : List.of(
                    "/portal/admin",
                    "/portal/admin/grants",
                    "/portal/regulator",
                    "/portal/regulator/entries",
                    "/portal/regulator/export")) {
                pia.go(gateway + page);
                pia.waitForText("Not allowed");
            }
            pia.go(gateway + "/portal/keys");
            String cookies = pia.cookieHeader();
            RestAssuredConfig noRedirects = RestAssuredConfig.config()
                    .redirect(RedirectConfig.redirectConfig().followRedirects(false));
            assertEquals(
                    403,
                    given().config(noRedirects)
                            .header("Cookie", cookies)
                            .get(gateway + "/portal/review")
                            .statusCode());

            // A POST without the form's CSRF token is refused, and makes no key.
            int keysBefore = pia.driver
                    .findElements(org.openqa.selenium.By.cssSelector("tbody tr"))
                    .size();
            Response forged = given().config(noRedirects)
                    .header("Cookie", cookies)
                    .contentType("application/x-www-form-urlencoded")
                    .formParam("name", "forged")
                    .formParam("grantId", grantId)
                    .post(gateway + "/portal/keys");
            assertEquals(403, forged.statusCode(), forged.asString());
            Response wrongToken = given().config(noRedirects)
                    .header("Cookie", cookies)
                    .contentType("application/x-www-form-urlencoded")
                    .formParam("name", "forged")
                    .formParam("grantId", grantId)
                    .formParam("csrf", "not-the-token-of-this-browser-at-all-000000")
                    .post(gateway + "/portal/keys");
            assertEquals(403, wrongToken.statusCode());
            pia.go(gateway + "/portal/keys");
            assertEquals(
                    keysBefore,
                    pia.driver
                            .findElements(org.openqa.selenium.By.cssSelector("tbody tr"))
                            .size());
            assertFalse(pia.text().contains("forged"));
        }

        // The regulator finds the call in the ledger (pseudonymous), checks its inclusion in a signed checkpoint,
        // and the offline verifier accepts the export bundle downloaded through the portal.
        given().auth()
                .oauth2(keycloak.userToken("greg"))
                .post(policy.ledger.url() + "/api/v1/checkpoints")
                .then()
                .statusCode(200);
        try (Browser greg = Browser.open().signIn(gateway, "greg")) {
            greg.go(gateway + "/portal/regulator/entries?type=usage&model=" + model);
            greg.reloadUntil(model);
            String row = greg.find("#entries-table tbody").getText();
            assertFalse(row.contains(username) || row.contains("Pia"), "pseudonymous: " + row);
            greg.screenshot("14-regulator-search");
            greg.find("#entries-table tbody a").click();
            greg.waitForText("Ledger entry");
            if (!greg.text().contains("Included")) {
                // Signed before the relay delivered the call: sign again and look again.
                given().auth()
                        .oauth2(keycloak.userToken("greg"))
                        .post(policy.ledger.url() + "/api/v1/checkpoints")
                        .then()
                        .statusCode(200);
                greg.reloadUntil("Included");
            }
            assertTrue(greg.find("#inclusion").getText().contains("Leaf hash matches"), greg.text());
            greg.screenshot("15-regulator-inclusion");
            greg.go(gateway + "/portal/regulator");
            greg.waitForText("Signature valid");
            assertTrue(greg.find("#checkpoint-status").getText().contains("Consistent"), greg.text());
            assertTrue(greg.find("#verify-command").getText().contains("--bundle"));
            greg.screenshot("16-regulator-checkpoint-and-export");
            greg.go(gateway + "/portal/regulator/charts");
            greg.waitForText(model);
            greg.screenshot("17-regulator-charts");

            String vkey = given().get(policy.ledger.url() + "/api/v1/public-key")
                    .asString()
                    .strip();
            Response bundle = given().header("Cookie", greg.cookieHeader()).get(gateway + "/portal/regulator/export");
            assertEquals(200, bundle.statusCode());
            assertTrue(bundle.header("Content-Disposition").contains("attachment"));
            java.nio.file.Path file = Browser.SCREENSHOTS.resolveSibling("ledger-export.json");
            java.nio.file.Files.write(file, bundle.asByteArray());
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int exit = org.vettedaccess.ledger.verifier.cli.VerifierMain.run(
                    new String[] {"--vkey", vkey, "--bundle", file.toString()},
                    new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(0, exit, out.toString(java.nio.charset.StandardCharsets.UTF_8));
        }

        // Without a session, the portal sends the browser to Keycloak rather than serving anything.

        Response anonymous = given().config(RestAssuredConfig.config()
                        .redirect(RedirectConfig.redirectConfig().followRedirects(false)))
                .get(gateway + "/portal/keys");
        assertEquals(302, anonymous.statusCode());
        assertTrue(anonymous.header("Location").startsWith(suite.keycloakUrl()), anonymous.header("Location"));
    }

    @Test
    void aKillSwitchIsEngagedByOneAdminAndReleasedOnlyWithASecond(LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String model = "sim-ks-" + UUID.randomUUID().toString().substring(0, 6);
        policy.putModel(model, 1e22, List.of()).then().statusCode(200);
        String second = "adam" + UUID.randomUUID().toString().substring(0, 6);
        keycloak.newUser(second, List.of("policy-admin"));
        String reason = "Portal test: pausing " + model + " after an eval alert.";

        try (Browser paula = Browser.open().signIn(gateway, "paula")) {
            paula.go(gateway + "/portal/admin");
            paula.screenshot("18-admin-overview");
            new org.openqa.selenium.support.ui.Select(paula.find("#scope")).selectByVisibleText("MODEL");
            paula.type("value", model);
            paula.type("ks-reason", reason);
            paula.submit("engage-form");
            paula.waitForText(reason);
            assertTrue(paula.find("#killswitch-state").getText().contains("engaged"), paula.text());
            paula.screenshot("19-kill-switch-engaged");
            // The same admin asks to release; confirming it alone is refused. (Other tests' switches may be listed.)
            org.openqa.selenium.By mine = org.openqa.selenium.By.xpath(
                    "//div[@id='killswitch-state']//li[contains(., '" + model + "')]//button");
            paula.click(mine);
            paula.waitForText("a second admin must confirm");
            paula.click(mine);
            paula.waitForText("different");
            assertTrue(paula.find("#killswitch-state").getText().contains(reason), "still engaged");
        }
        try (Browser adam = Browser.open().signIn(gateway, second)) {
            adam.go(gateway + "/portal/admin");
            adam.waitForText("Confirm the release");
            // Staff see each other by name (Keycloak's), not by subject id (ADR 0094).
            String switchRow = adam.driver
                    .findElement(org.openqa.selenium.By.xpath(
                            "//div[@id='killswitch-state']//li[contains(., '" + model + "')]"))
                    .getText();
            assertTrue(
                    switchRow.contains("by Paula Moreau") && switchRow.contains("release asked by Paula Moreau"),
                    switchRow);
            adam.click(org.openqa.selenium.By.xpath(
                    "//div[@id='killswitch-state']//li[contains(., '" + model + "')]//button"));
            adam.waitForText("Kill switch");
            org.openqa.selenium.WebElement state = adam.find("#killswitch-state");
            assertFalse(state.getText().contains(model), "released: " + state.getText());
            adam.screenshot("20-kill-switch-released");

            // paula asks for a new model (it loosens the catalog); the second admin sees it waiting and confirms.
            String pending = "sim-pending-" + UUID.randomUUID().toString().substring(0, 6);
            given().auth()
                    .oauth2(policy.admin())
                    .contentType(io.restassured.http.ContentType.JSON)
                    .body(java.util.Map.of("upstreamRoute", "sim", "trainingFlop", 1e22))
                    .put(policy.url + "/api/v1/models/" + pending)
                    .then()
                    .statusCode(202);
            adam.go(gateway + "/portal/admin");
            adam.waitForText(pending);
            adam.screenshot("21-change-waiting-for-a-second-admin");
            String changeRow = adam.driver
                    .findElement(org.openqa.selenium.By.xpath(
                            "//ul[@id='pending-changes']/li[contains(., '" + pending + "')]"))
                    .getText();
            assertTrue(changeRow.contains("asked by Paula Moreau"), changeRow);
            adam.click(org.openqa.selenium.By.xpath(
                    "//ul[@id='pending-changes']/li[contains(., '" + pending + "')]//button[text()='Confirm']"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Response applied = given().auth().oauth2(policy.admin()).get(policy.url + "/api/v1/models/" + pending);
            while (applied.statusCode() == 404 && System.nanoTime() < deadline) {
                applied = given().auth().oauth2(policy.admin()).get(policy.url + "/api/v1/models/" + pending);
            }
            assertEquals(200, applied.statusCode(), "the second admin's confirmation added the model");
            assertEquals(1, (int) applied.path("version"));
            adam.go(gateway + "/portal/admin");
            adam.waitForText("Changes waiting for a second admin");
            assertFalse(adam.find("#pending-changes").getText().contains(pending), "confirmed: no longer waiting");
        }
    }
}
