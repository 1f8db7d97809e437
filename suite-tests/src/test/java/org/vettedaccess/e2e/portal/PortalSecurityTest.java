package org.vettedaccess.e2e.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.vettedaccess.e2e.support.Hostile;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * The portal's sessions and forms under attack, through a real Keycloak sign-in in headless Chromium: a session
 * that Keycloak ends (an admin revoking it, or the user signing out elsewhere) ends in the portal at once, and
 * its stolen cookie is worth nothing; hostile values in every researcher form never get a 5xx or a hang; forged
 * form posts (no CSRF token, a wrong one, a token without its cookie) and forged session cookies are refused
 * and change nothing.
 */
@ExtendWith(RunningSuite.class)
class PortalSecurityTest {

    private static final int VALUES_PER_FORM = 25;

    @Test
    void aSessionEndedInKeycloakEndsThePortalSessionAndItsCookieNoLongerWorks(LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        String username = "rex" + UUID.randomUUID().toString().substring(0, 6);
        String userId = keycloak.newUser(username, List.of("researcher"));
        try (Browser rex = Browser.open().signIn(gateway, username)) {
            assertTrue(rex.text().contains("You have not applied yet"), rex.text());
            Map<String, String> cookies = cookies(rex);
            // The cookies alone open the portal, as they would for someone who stole them.
            Response before = page(gateway + "/portal", cookies);
            assertEquals(200, before.statusCode(), before.asString());
            assertTrue(before.asString().contains("You have not applied yet"));

            keycloak.endSessions(userId);

            // Keycloak told the gateway (back-channel logout), which records the session as ended for every replica.
            awaitEnded(suite, userId);
            // The cookies now get the signed-out page, the second time too: a copy of a cookie replayed after
            // the first refusal (when Quarkus alone would have forgotten the logout) is refused as well.
            for (int replay = 0; replay < 2; replay++) {
                Response after = page(gateway + "/portal", cookies);
                assertEquals(401, after.statusCode(), after.asString());
                assertTrue(after.asString().contains("You are signed out"), after.asString());
            }
            rex.go(gateway + "/portal");
            rex.waitForText("You are signed out");
            rex.screenshot("session-ended");
            rex.click(org.openqa.selenium.By.linkText("Sign in again"));
            rex.find("#username");
            // The account itself still works: signing in again opens a new session.
            rex.signIn(gateway, username);
            assertTrue(rex.text().contains("You have not applied yet"), rex.text());
        }
    }

    @Test
    void hostileFormsNeverCauseAServerErrorAndForgedOnesChangeNothing(LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        String username = "fuzz" + UUID.randomUUID().toString().substring(0, 6);
        keycloak.newUser(username, List.of("researcher"));
        String token = keycloak.userToken(username);
        Map<String, String> cookies;
        String csrf;
        try (Browser browser = Browser.open().signIn(gateway, username)) {
            browser.go(gateway + "/portal/apply");
            browser.find("#application-form");
            cookies = cookies(browser);
            csrf = csrfOf(browser);
        }
        // Another user's session, whose token must not work in this one.
        String other = "fuzz" + UUID.randomUUID().toString().substring(0, 6);
        keycloak.newUser(other, List.of("researcher"));
        String othersCsrf;
        try (Browser browser = Browser.open().signIn(gateway, other)) {
            browser.go(gateway + "/portal/apply");
            othersCsrf = csrfOf(browser);
        }
        assertTrue(!csrf.equals(othersCsrf), "two sessions have two CSRF tokens");

        // A draft to fuzz the later steps of, made through the form with valid values.
        Response created = post(
                gateway,
                "/portal/apply",
                cookies,
                Map.of(
                        "csrf", csrf,
                        "legalName", "Fuzz Tester",
                        "email", username + "@example.org",
                        "orcid", "0000-0002-1825-0097",
                        "country", "DE",
                        "position", "Researcher"));
        assertEquals(303, created.statusCode(), created.asString());
        String applicationId = created.header("Location").replaceAll(".*/applications/([^/]+)/.*", "$1");
        String kyc = suite.serviceUrl("kyc-service");
        int applicationsBefore = count(kyc + "/api/v1/applications", token);
        int keysBefore = count(gateway + "/api/v1/keys", token);
        String draftBefore = draft(kyc, applicationId, token);

        Map<String, List<String>> forms = new LinkedHashMap<>();
        forms.put("/portal/apply", List.of("legalName", "email", "orcid", "country", "position"));
        forms.put(
                "/portal/applications/" + applicationId + "/step/2",
                List.of("affiliation", "rorId", "institutionalEmail"));
        forms.put(
                "/portal/applications/" + applicationId + "/step/3",
                List.of(
                        "purpose",
                        "requestedTier",
                        "requestedModels",
                        "fundingSources",
                        "conflictsOfInterest",
                        "termsAccepted"));
        forms.put("/portal/applications/" + applicationId + "/email-verify", List.of("code"));
        forms.put("/portal/keys", List.of("name", "grantId"));
        forms.put("/portal/incidents", List.of("model", "category", "severity", "description", "receipts"));

        List<String> failures = new ArrayList<>();
        Map<String, Integer> accepted = new HashMap<>();
        int requests = 0;
        for (Map.Entry<String, List<String>> form : forms.entrySet()) {
            List<String> fields = form.getValue();
            try {
                qt().withExamples(VALUES_PER_FORM)
                        .withShrinkCycles(10)
                        .forAll(lists().of(Hostile.text()).ofSize(fields.size()))
                        .checkAssert(values -> {
                            Map<String, String> body = new HashMap<>();
                            body.put("csrf", csrf);
                            for (int i = 0; i < fields.size(); i++) {
                                body.put(fields.get(i), values.get(i));
                            }
                            Response response = post(gateway, form.getKey(), cookies, body);
                            assertTrue(response.statusCode() < 500, response.statusCode() + ": " + abbreviate(body));
                            // Anything but a refusal may have changed something (a step saved, a code mailed).
                            if (response.statusCode() < 400) {
                                accepted.merge(form.getKey(), 1, Integer::sum);
                            }
                        });
            } catch (AssertionError | RuntimeException e) {
                failures.add(form.getKey() + ": " + e.getMessage());
            }
            requests += VALUES_PER_FORM;
        }
        // A hostile id where the form expects one.
        for (String id : Hostile.STRINGS) {
            requests++;
            Response response = post(
                    gateway,
                    "/portal/applications/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                            + "/step/2",
                    cookies,
                    Map.of("csrf", csrf, "affiliation", "x"));
            if (response.statusCode() >= 500) {
                failures.add("hostile id " + abbreviate(Map.of("id", id)) + ": " + response.statusCode());
            }
        }

        // Forged posts on every researcher form: refused before anything else happens. (The staff forms are
        // attacked by signed-in staff in the next test: a researcher would be refused by the role check first.)
        List<String> everyForm = new ArrayList<>(forms.keySet());
        everyForm.addAll(List.of(
                "/portal/applications/" + applicationId + "/submit",
                "/portal/applications/" + applicationId + "/withdraw"));
        for (String path : everyForm) {
            Map<String, String> valid = Map.of("name", "forged");
            failures.addAll(forgedTokensAreRefused(gateway, path, cookies, csrf, othersCsrf, valid));
            requests += 10;
        }
        // Forged session cookies: back to the sign-in, never an error.
        qt().withExamples(20)
                .forAll(Generate.pick(Hostile.STRINGS.stream()
                                .filter(s -> s.chars().allMatch(c -> c > 0x20 && c < 0x7f))
                                .toList())
                        .mix(strings().basicLatinAlphabet().ofLengthBetween(1, 400), 50))
                .checkAssert(forged -> {
                    Response response = page(gateway + "/portal", Map.of("q_session_portal", forged));
                    // Back to Keycloak, or the signed-out page: never in, never an error.
                    if (response.statusCode() != 302
                            && !(response.statusCode() == 401
                                    && response.asString().contains("You are signed out"))) {
                        failures.add("forged session cookie " + abbreviate(forged) + ": " + response.statusCode());
                    }
                });
        requests += 20;

        assertTrue(
                failures.isEmpty(), failures.size() + " of " + requests + " failed:\n" + String.join("\n", failures));
        // What changed is exactly what the accepted posts made.
        assertEquals(
                applicationsBefore + accepted.getOrDefault("/portal/apply", 0),
                count(kyc + "/api/v1/applications", token),
                "applications; accepted: " + accepted);
        assertEquals(
                keysBefore + accepted.getOrDefault("/portal/keys", 0),
                count(gateway + "/api/v1/keys", token),
                "keys; accepted: " + accepted);
        if (forms.keySet().stream().filter(f -> f.contains("/step/")).noneMatch(accepted::containsKey)) {
            assertEquals(draftBefore, draft(kyc, applicationId, token), "the draft after refused steps");
        }
        assertEquals(
                "DRAFT",
                given().auth()
                        .oauth2(token)
                        .get(kyc + "/api/v1/applications/" + applicationId)
                        .path("state"),
                "the forged submit changed nothing");
    }

    @Test
    void staffFormsRefuseMissingForgedAndOtherSessionsTokensFromSignedInStaff(LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        Map<String, String> rita;
        String ritasCsrf;
        try (Browser browser = Browser.open().signIn(gateway, "rita")) {
            browser.go(gateway + "/portal/review");
            rita = cookies(browser);
            ritasCsrf = csrfOf(browser);
        }
        Map<String, String> paula;
        String paulasCsrf;
        try (Browser browser = Browser.open().signIn(gateway, "paula")) {
            browser.go(gateway + "/portal/admin");
            paula = cookies(browser);
            paulasCsrf = csrfOf(browser);
        }
        // Ids that exist nowhere and bodies the services refuse: with the right token a post gets past the CSRF
        // check to the service's own answer (404, 400), and so changes nothing; with any other token it is the 403.
        String nowhere = UUID.randomUUID().toString();
        Map<String, Map<String, String>> reviewerForms = new LinkedHashMap<>();
        reviewerForms.put("/portal/review/" + nowhere + "/claim", Map.of());
        reviewerForms.put("/portal/review/" + nowhere + "/conflict", Map.of("reason", "forged"));
        reviewerForms.put("/portal/review/" + nowhere + "/decide", Map.of("decision", "APPROVE", "reason", "forged"));
        Map<String, Map<String, String>> adminForms = new LinkedHashMap<>();
        adminForms.put("/portal/admin/killswitches", Map.of("scope", "NO-SUCH-SCOPE", "reason", "forged"));
        adminForms.put("/portal/admin/killswitches/" + nowhere + "/release", Map.of());
        adminForms.put("/portal/admin/grants", Map.of("subject", "", "models", "", "purpose", "", "tier", "x"));
        adminForms.put("/portal/admin/changes/" + nowhere + "/confirm", Map.of());
        adminForms.put("/portal/admin/changes/" + nowhere + "/withdraw", Map.of());
        adminForms.put("/portal/admin/grants/" + nowhere + "/suspend", Map.of("reason", "forged"));
        adminForms.put("/portal/admin/grants/" + nowhere + "/revoke", Map.of("reason", "forged"));
        // paula is also an incident triager.
        adminForms.put("/portal/triage/" + nowhere + "/acknowledge", Map.of());
        adminForms.put("/portal/triage/" + nowhere + "/reject", Map.of("reason", "forged"));
        adminForms.put("/portal/triage/" + nowhere + "/kill-switch", Map.of());

        List<String> failures = new ArrayList<>();
        reviewerForms.forEach((path, body) -> {
            failures.addAll(forgedTokensAreRefused(gateway, path, rita, ritasCsrf, paulasCsrf, body));
            failures.addAll(passesTheCheck(post(gateway, path, rita, with(body, ritasCsrf)), "rita: " + path));
        });
        adminForms.forEach((path, body) -> {
            failures.addAll(forgedTokensAreRefused(gateway, path, paula, paulasCsrf, ritasCsrf, body));
            failures.addAll(passesTheCheck(post(gateway, path, paula, with(body, paulasCsrf)), "paula: " + path));
        });
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The CSRF 403 for a post without a token, with another session's token and with 8 generated wrong ones. */
    private static List<String> forgedTokensAreRefused(
            String gateway,
            String path,
            Map<String, String> cookies,
            String csrf,
            String othersCsrf,
            Map<String, String> body) {
        List<String> failures = new ArrayList<>();
        failures.addAll(csrfRefused(post(gateway, path, cookies, body), path + " without a token"));
        failures.addAll(csrfRefused(
                post(gateway, path, cookies, with(body, othersCsrf)), path + " with another session's token"));
        Gen<String> forgedTokens = Generate.oneOf(
                Generate.pick(Hostile.STRINGS),
                strings().basicLatinAlphabet().ofLengthBetween(0, 60),
                Generate.constant(csrf.substring(1)),
                Generate.constant(csrf + "A"));
        qt().withExamples(8)
                .forAll(forgedTokens)
                .checkAssert(forged -> failures.addAll(csrfRefused(
                        post(gateway, path, cookies, with(body, forged)), path + " with token " + abbreviate(forged))));
        return failures;
    }

    private static List<String> csrfRefused(Response response, String what) {
        return response.statusCode() == 403 && response.asString().contains("security token")
                ? List.of()
                : List.of(what + ": " + response.statusCode() + " (expected the CSRF refusal)");
    }

    private static List<String> passesTheCheck(Response response, String what) {
        return response.statusCode() < 500 && !response.asString().contains("security token")
                ? List.of()
                : List.of(what + " with the right token: " + response.statusCode() + " (expected past the CSRF check)");
    }

    /** The session's CSRF token, as every page carries it for its forms. */
    private static String csrfOf(Browser browser) {
        String csrf = browser.find("meta[name=csrf-token]").getAttribute("content");
        assertTrue(csrf != null && csrf.length() > 20, "the page's forms carry a CSRF token");
        return csrf;
    }

    /** Waits until the gateway has recorded an ended portal session of the subject (it does so off the event loop). */
    private static void awaitEnded(LocalSuite suite, String subject) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(
                        suite.database().jdbcUrl("va_gateway"),
                        suite.database().user(),
                        suite.database().password());
                java.sql.PreparedStatement select =
                        db.prepareStatement("SELECT count(*) FROM gateway.portal_ended_sessions WHERE subject = ?")) {
            select.setString(1, subject);
            while (System.nanoTime() < deadline) {
                try (java.sql.ResultSet row = select.executeQuery()) {
                    row.next();
                    if (row.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        } catch (java.sql.SQLException | InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the gateway did not record the ended session of " + subject);
    }

    private static List<String> refused(Response response, String what) {
        return response.statusCode() == 403 ? List.of() : List.of(what + ": " + response.statusCode());
    }

    private static Map<String, String> with(Map<String, String> body, String csrf) {
        Map<String, String> copy = new HashMap<>(body);
        copy.put("csrf", csrf);
        return copy;
    }

    /** The browser's cookies for the portal (the OIDC session). */
    private static Map<String, String> cookies(Browser browser) {
        Map<String, String> cookies = new HashMap<>();
        browser.driver.manage().getCookies().forEach(cookie -> cookies.put(cookie.getName(), cookie.getValue()));
        return cookies;
    }

    private static Response page(String url, Map<String, String> cookies) {
        return given().config(Hostile.TIMEOUTS)
                .redirects()
                .follow(false)
                .cookies(cookies)
                .get(url);
    }

    private static Response post(String gateway, String path, Map<String, String> cookies, Map<String, String> form) {
        return given().config(Hostile.TIMEOUTS)
                .redirects()
                .follow(false)
                .cookies(cookies)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParams(form)
                .post(gateway + path);
    }

    private static int count(String url, String token) {
        Response response = given().auth().oauth2(token).get(url);
        response.then().statusCode(200);
        List<?> items = response.path("$");
        return items.size();
    }

    /** The draft's fields, without its timestamps. */
    private static String draft(String kyc, String id, String token) {
        Map<String, Object> read = given().auth()
                .oauth2(token)
                .get(kyc + "/api/v1/applications/" + id)
                .path("$");
        Map<String, Object> application = new java.util.TreeMap<>(read);
        application.keySet().removeIf(key -> key.endsWith("At") || key.equals("version"));
        return application.toString();
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 200 ? text.substring(0, 200) + "… (" + text.length() + " chars)" : text;
    }
}
