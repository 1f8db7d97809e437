package org.vettedaccess.e2e.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.LedgerDatabase;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Issue 20 item 5 and issue 23 item 4 in headless Chromium: alice checks the receipt of a real call of hers on the
 * usage page (included at index N in a signed checkpoint of size S, verified by the gateway with ledger-core, and
 * a checkpoint extending it cosigned by the suite's witness);
 * victor, another researcher, cannot check that same receipt; the recent calls show relative times with the UTC
 * time; the regulator's ledger page shows the local witness's cosignature on the latest checkpoint; a policy admin
 * sees alice's name beside her subject id, and the regulator sees neither it on the ledger's pages nor through the
 * names API.
 */
@ExtendWith(RunningSuite.class)
class PortalReceiptTest {

    @Test
    void aResearcherChecksTheirOwnReceiptAndNoOneElseCan(LocalSuite suite, Keycloak keycloak) {
        Alice alice = Alice.of(suite, keycloak, "sim-receipt-");
        Alice.Call call = alice.callAndCheckpoint();
        String gateway = alice.gateway();
        String requestId = call.requestId();
        long index = call.index();

        try (Browser browser = Browser.open().signIn(gateway, "alice")) {
            browser.go(gateway + "/portal/usage");
            String row = "#calls-table tr[data-request-id='" + requestId + "']";
            browser.reloadUntil(requestId.substring(0, 8));
            String when = browser.find(row + " time").getText();
            assertTrue(when.equals("just now") || when.endsWith("minute ago") || when.endsWith("minutes ago"), when);
            assertTrue(
                    browser.find(row).getText().contains("UTC"),
                    browser.find(row).getText());
            Instant exact = Instant.parse(browser.find(row + " time").getAttribute("datetime"));
            assertTrue(Duration.between(exact, Instant.now()).abs().toMinutes() < 10, exact.toString());
            browser.find(row + " a.check-link").click();
            browser.waitForText("Receipt of call");
            // The suite's witness cosigns the newest checkpoint within an interval of its signing.
            browser.reloadUntil("cosigned by 1 of 1 witness");
            String verdict = browser.find("#receipt-verdict").getText();
            assertTrue(verdict.startsWith("Verified"), browser.text());
            assertTrue(verdict.contains("included in the log at index " + index), verdict);
            long size = Long.parseLong(browser.find("#receipt-size").getText());
            assertTrue(size > index, verdict);
            assertTrue(verdict.contains("signed "), verdict);
            assertTrue(browser.find("#receipt-steps").getText().contains("inclusion PASS"), browser.text());
            assertTrue(
                    browser.find("#receipt-steps").getText().contains("witnesses PASS 1 of 1 witness"), browser.text());
            String witnesses = browser.find("#receipt-witnesses").getText();
            assertTrue(witnesses.contains("cosigned") && witnesses.contains("UTC"), witnesses);
            assertTrue(browser.find("#receipt-command").getText().contains("receipt " + requestId));
            browser.screenshot("40-receipt-verified");
        }

        // victor is a researcher too, and has alice's real request id: the portal finds no call of his.
        try (Browser victor = Browser.open().signIn(gateway, "victor")) {
            victor.go(gateway + "/portal/usage/receipt?requestId=" + requestId);
            victor.waitForText("You made no call " + requestId);
            assertFalse(victor.text().contains("Verified"), victor.text());
            assertFalse(victor.text().contains("index " + index), victor.text());
            assertEquals(
                    404,
                    given().header("Cookie", victor.cookieHeader())
                            .get(gateway + "/portal/usage/receipt?requestId=" + requestId)
                            .statusCode());
            victor.screenshot("41-receipt-not-yours");
        }
    }

    /**
     * Issue 20: the lab, as the owner of the ledger's database, replaces the witness's cosignature lines on every
     * checkpoint covering alice's call with forgeries (the witness's name and key id, a signature byte changed). The
     * ledger serves them as they are; alice's receipt check counts no valid cosignature, so its witnesses step fails
     * and the receipt is not verified.
     */
    @Test
    void aCosignatureForgedInTheLedgersDatabaseFailsTheWitnessesStep(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        Alice alice = Alice.of(suite, keycloak, "sim-forged-");
        Alice.Call call = alice.callAndCheckpoint();
        String gateway = alice.gateway();
        String requestId = call.requestId();
        long index = call.index();
        LedgerDatabase database = new LedgerDatabase(suite);
        String page = gateway + "/portal/usage/receipt?requestId=" + requestId;
        try (Browser browser = Browser.open().signIn(gateway, "alice")) {
            String cookie = browser.cookieHeader();
            // Honest first: the witness's real cosignature passes.
            String honest = awaitPage(page, cookie, "<td>witnesses</td><td class=\"PASS\">");
            assertTrue(honest.contains("class=\"PASS\">Verified"), honest);

            // Forge; if a newer checkpoint (honestly cosigned) appeared meanwhile, forge again.
            List<LedgerDatabase.CosignatureRow> original = new ArrayList<>();
            try {
                String html = null;
                for (int attempt = 0; attempt < 10; attempt++) {
                    List<LedgerDatabase.CosignatureRow> rows = database.forgeCosignatures(index + 1);
                    original.addAll(rows);
                    html = given().header("Cookie", cookie).get(page).asString();
                    long shown = witnessedSize(html);
                    if (rows.stream().anyMatch(row -> row.treeSize() == shown)) {
                        break;
                    }
                    html = null;
                }
                assertTrue(html != null, "no checkpoint with a forged cosignature was shown in 10 attempts");
                assertTrue(html.contains("<td>witnesses</td><td class=\"FAIL\">FAIL</td>"), html);
                assertTrue(html.contains("no valid cosignature by"), html);
                assertTrue(html.contains("class=\"FAIL\">Not verified"), html);
                assertTrue(html.contains("<td>inclusion</td><td class=\"PASS\">"), html);
                assertTrue(html.contains("not cosigned"), html);
            } finally {
                // Put the witness's real lines back for the tests that follow.
                database.restore(original.reversed());
            }
        }
    }

    /** The receipt page's HTML once it contains {@code text} (the witness cosigns within seconds). */
    private static String awaitPage(String page, String cookie, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String html = "";
        while (System.nanoTime() < deadline) {
            html = given().header("Cookie", cookie).get(page).asString();
            if (html.contains(text)) {
                return html;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("the receipt page did not show " + text + " within 30 s:\n" + html);
        return html;
    }

    /** The size of the newest checkpoint whose cosignatures the receipt page shows. */
    private static long witnessedSize(String html) {
        java.util.regex.Matcher size = java.util.regex.Pattern.compile(
                        "Witness cosignatures on the newest checkpoint \\(size (\\d+)\\)")
                .matcher(html);
        return size.find() ? Long.parseLong(size.group(1)) : -1;
    }

    @Test
    void aPolicyAdminSeesTheResearchersNameAndTheRegulatorSeesPseudonymsAndCosignatures(
            LocalSuite suite, Keycloak keycloak) {
        String kyc = suite.serviceUrl("kyc-service");
        Alice researcher = Alice.of(suite, keycloak, "sim-names-");
        String gateway = researcher.gateway();
        PolicyFixture policy = researcher.policy();
        String model = researcher.model();
        String alice = researcher.subject();
        String legalName = "Alice Named " + UUID.randomUUID().toString().substring(0, 6);
        given().auth()
                .oauth2(researcher.token())
                .contentType(ContentType.JSON)
                .body(Map.of("legalName", legalName))
                .post(kyc + "/api/v1/applications")
                .then()
                .statusCode(201);
        researcher.callAndCheckpoint();

        // The policy admin sees alice's name beside her subject id.
        try (Browser paula = Browser.open().signIn(gateway, "paula")) {
            paula.go(gateway + "/portal/admin/grants?subject=" + alice);
            paula.waitForText("Grants of " + legalName);
            assertTrue(paula.find("#grants-of").getText().contains(alice));
        }

        // The regulator: the witness's cosignature on the latest checkpoint, and pseudonyms, never alice's name.
        try (Browser greg = Browser.open().signIn(gateway, "greg")) {
            greg.go(gateway + "/portal/regulator");
            greg.waitForText("Witness cosignatures");
            greg.reloadUntil("1 of 1 witness cosigned");
            String witnesses = greg.find("#witnesses-table").getText();
            assertTrue(witnesses.contains("cosigned") && witnesses.contains("UTC"), witnesses);
            greg.screenshot("42-regulator-cosignatures");
            greg.go(gateway + "/portal/regulator/entries?type=usage&model=" + model);
            greg.reloadUntil(model);
            assertFalse(greg.text().contains(legalName), greg.text());
            greg.click(By.cssSelector("#entries-table tbody a"));
            greg.waitForText("Ledger entry");
            assertFalse(greg.text().contains(legalName), greg.text());
        }
        Response names = given().auth()
                .oauth2(keycloak.userToken("greg"))
                .queryParam("subject", alice)
                .get(kyc + "/api/v1/applicants/names");
        assertEquals(403, names.statusCode(), names.asString());
        assertEquals(
                legalName,
                given().auth()
                        .oauth2(policy.admin())
                        .queryParam("subject", alice)
                        .get(kyc + "/api/v1/applicants/names")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("'" + alice + "'"));
    }

    /**
     * alice signed in (her token) with a new model of her own in the catalog, ready to call it.
     *
     * @param subject her subject id
     */
    private record Alice(String gateway, PolicyFixture policy, String model, String subject, String token) {

        /** A call of hers: its x-request-id and its leaf in the ledger. */
        record Call(String requestId, long index) {}

        static Alice of(LocalSuite suite, Keycloak keycloak, String modelPrefix) {
            PolicyFixture policy = new PolicyFixture(suite, keycloak);
            String model = modelPrefix + UUID.randomUUID().toString().substring(0, 6);
            policy.putModel(model, 1e22, List.of()).then().statusCode(200);
            return new Alice(
                    suite.serviceUrl("gateway"), policy, model, policy.subjectOf("alice"), keycloak.userToken("alice"));
        }

        /**
         * Makes one call, waits until the ledger has it, and publishes a checkpoint covering it (cosigned by the
         * suite's witness before the ledger answers).
         */
        Call callAndCheckpoint() {
            String requestId = call(gateway, policy, subject, token, model);
            long index = deliveredIndex(gateway, token, requestId);
            policy.ledger.publishCheckpoint();
            return new Call(requestId, index);
        }
    }

    /** Approves alice, grants her the model, makes a key and one call; returns the call's x-request-id. */
    private static String call(String gateway, PolicyFixture policy, String alice, String aliceToken, String model) {
        policy.approve(alice, 3, 3);
        Response grant = policy.grant(alice, List.of(model), 1, 30);
        grant.then().statusCode(200);
        String key = given().auth()
                .oauth2(aliceToken)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "receipt test", "grantId", grant.path("id")))
                .post(gateway + "/api/v1/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        Response call = given().header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "model",
                        model,
                        "messages",
                        List.of(Map.of("role", "user", "content", "A call to check.")),
                        "max_tokens",
                        8))
                .post(gateway + "/v1/chat/completions");
        call.then().statusCode(200);
        return call.header("x-request-id");
    }

    private static long deliveredIndex(String gateway, String token, String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Response receipt = given().auth().oauth2(token).get(gateway + "/api/v1/usage/calls/" + requestId);
            if (receipt.statusCode() == 200 && "DELIVERED".equals(receipt.path("state"))) {
                return ((Number) receipt.path("ledgerIndex")).longValue();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("call " + requestId + " was not delivered to the ledger within 60 s");
        return -1;
    }
}
