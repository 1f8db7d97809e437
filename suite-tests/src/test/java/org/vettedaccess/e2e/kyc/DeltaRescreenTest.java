package org.vettedaccess.e2e.kyc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Delta re-screening (issue 19 item 5), through the real suite: kyc-service watches its list files (every 2 s for
 * this test only; 1 min by default) and re-screens every APPROVED and IN_REVIEW application as soon as a list
 * changes. An approval whose strong candidate two reviewers cleared stays approved when the list file changes
 * elsewhere (the same entry, the same data, is not new); a new weaker candidate is recorded at once for a
 * reviewer's disposition without suspending; the same entry with changed data (its birth date now the
 * applicant's) is new and strong: the researcher is suspended within seconds, access-policy denies, and the
 * candidate is already recorded in the new round, before any reviewer tries to approve.
 */
@ExtendWith(RunningSuite.class)
class DeltaRescreenTest {

    private static final Map<String, String> FAST_WATCH = Map.of("KYC_SANCTIONS_WATCH_INTERVAL", "2s");
    private static final Duration PROMPT = Duration.ofSeconds(30);

    private static Response as(String token, String method, String url, Object body) {
        var request = given().auth().oauth2(token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return method.equals("GET") ? request.get(url) : request.post(url);
    }

    private static String row(String id, String name, String birthDate) {
        return id + ",Person," + name + ",," + birthDate + ",de,,,\"DEMO (fixture)\",,,demo_sanctions,"
                + "2026-11-01T00:00:00,2026-11-01T00:00:00,2026-11-01T00:00:00\n";
    }

    /** The reviewer's view of the application, once it satisfies {@code until} (or the last one, after a while). */
    private static JsonPath reviewUntil(String kyc, Keycloak keycloak, String id, Predicate<JsonPath> until)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(PROMPT);
        JsonPath view;
        do {
            view = as(keycloak.userToken("rita"), "GET", kyc + "/api/v1/review/applications/" + id, null)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            if (until.test(view)) {
                return view;
            }
            Thread.sleep(500);
        } while (Instant.now().isBefore(deadline));
        return view;
    }

    @Test
    void aReScreenRaisesOnlyWhatIsNewAndSuspendsOnlyOnANewStrongMatch(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        suite.stop("kyc-service");
        try {
            suite.restart("kyc-service", FAST_WATCH);
            String kyc = suite.serviceUrl("kyc-service");
            PolicyFixture policy = new PolicyFixture(suite, keycloak);
            String model = "delta-small-" + UUID.randomUUID().toString().substring(0, 8);
            policy.putModel(model, 1e22, List.of()).then().statusCode(200);
            String username = "delta" + UUID.randomUUID().toString().substring(0, 6);
            String subject = keycloak.newUser(username, List.of("researcher"));
            String researcher = keycloak.userToken(username);
            StringBuilder letters = new StringBuilder();
            for (char c : UUID.randomUUID()
                    .toString()
                    .replace("-", "")
                    .substring(0, 8)
                    .toCharArray()) {
                letters.append((char) ('a' + Character.digit(c, 16))); // a…p
            }
            String name = "Dora Delta" + letters;
            // Listed under the same name with another birth date: a strong candidate (score 1.000).
            Path list = suite.sanctionsDirectory().resolve("targets.simple.csv");
            String listed = "demo-delta-" + letters;
            Files.writeString(list, row(listed, name, "1950-01-01"), StandardOpenOption.APPEND);

            Map<String, Object> body = application(name, username, model);
            String id = as(researcher, "POST", kyc + "/api/v1/applications", body)
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            as(researcher, "POST", kyc + "/api/v1/applications/" + id + "/submit", null)
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("IN_REVIEW"));
            JsonPath review = reviewUntil(kyc, keycloak, id, v -> true);
            String candidate = review.getString("candidates.find { it.entryId == '" + listed + "' }.id");
            assertTrue(candidate != null, review.prettify());
            for (String reviewer : List.of("rita", "ravi")) {
                KycDispositionTest.disposition(
                                keycloak.userToken(reviewer),
                                kyc,
                                id,
                                candidate,
                                "FALSE_POSITIVE",
                                "Born 1990-05-17 per passport; the listed person was born 1950-01-01.")
                        .then()
                        .statusCode(200);
            }
            String rita = keycloak.userToken("rita");
            as(rita, "POST", kyc + "/api/v1/applications/" + id + "/claim", null)
                    .then()
                    .statusCode(200);
            as(
                            rita,
                            "POST",
                            kyc + "/api/v1/applications/" + id + "/decide",
                            Map.of("decision", "APPROVE", "reason", "Namesake told apart by date of birth."))
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("APPROVED"));
            assertEquals("ALLOW", policy.decision(subject, model), "tier 1 approvals issue the grant");

            // The list file changes elsewhere: the watch re-screens, and the cleared candidate is not raised again.
            int before = review.getList("candidates").size();
            String versionBefore = review.getString("candidates[0].listVersion");
            Files.writeString(
                    list, row("demo-delta-other-" + letters, "Unrelated Fixtureperson", ""), StandardOpenOption.APPEND);
            Thread.sleep(8_000); // four watch intervals
            Response run = as(rita, "POST", kyc + "/api/v1/rescreen", null); // and once more, by hand
            run.then().statusCode(200);
            review = reviewUntil(kyc, keycloak, id, v -> true);
            assertEquals("APPROVED", review.getString("state"), "a cleared candidate does not suspend again");
            assertEquals(before, review.getList("candidates").size(), review.prettify());
            assertEquals("ALLOW", policy.decision(subject, model));

            // A new, weaker candidate (0.938: below the strong-match 0.95) is recorded at once, without suspending.
            String weak = "demo-delta-weak-" + letters;
            String weakName = "Dora Delta" + letters.substring(0, 4) + "wxyz";
            Files.writeString(list, row(weak, weakName, ""), StandardOpenOption.APPEND);
            review = reviewUntil(
                    kyc, keycloak, id, v -> v.getString("candidates.find { it.entryId == '" + weak + "' }.id") != null);
            assertEquals("OPEN", review.getString("candidates.find { it.entryId == '" + weak + "' }.status"));
            assertEquals(false, review.getBoolean("candidates.find { it.entryId == '" + weak + "' }.strong"));
            assertEquals("APPROVED", review.getString("state"), "a weaker new candidate does not suspend");
            assertEquals("ALLOW", policy.decision(subject, model));

            // The same entry, changed: its birth date is now the applicant's. New data, strong: suspended at once.
            String text = Files.readString(list, StandardCharsets.UTF_8);
            Files.writeString(
                    list,
                    text.replace(row(listed, name, "1950-01-01"), row(listed, name, "1990-05-17")),
                    StandardCharsets.UTF_8);
            review = reviewUntil(kyc, keycloak, id, v -> v.getString("state").equals("IN_REVIEW"));
            assertEquals("IN_REVIEW", review.getString("state"), review.prettify());
            assertTrue(review.getList("timeline.state").contains("SUSPENDED"), review.prettify());
            // access-policy is told right after the commit (the decision outbox): at once, give or take a moment.
            Instant told = Instant.now().plusSeconds(10);
            while (!policy.decision(subject, model).equals("kyc_not_current")
                    && Instant.now().isBefore(told)) {
                Thread.sleep(200);
            }
            assertEquals("kyc_not_current", policy.decision(subject, model), "the suspension stops access");
            // Recorded already in the new round, before any reviewer tried to approve: the changed entry, open, and
            // the weaker one still waiting for its disposition.
            List<Map<String, Object>> current = review.getList("candidates.findAll { it.current }");
            assertTrue(
                    current.stream()
                            .anyMatch(c -> c.get("entryId").equals(listed)
                                    && c.get("status").equals("OPEN")
                                    && String.valueOf(c.get("explanation")).contains("birth date agrees")),
                    review.prettify());
            assertTrue(current.stream().anyMatch(c -> c.get("entryId").equals(weak)), review.prettify());
            assertFalse(
                    review.getString("candidates.find { it.current && it.entryId == '" + listed + "' }.listVersion")
                            .equals(versionBefore),
                    "found on the new version of the list");
            // The researcher reads only that additional checks are in progress (no tipping-off).
            String own = as(researcher, "GET", kyc + "/api/v1/applications/" + id, null)
                    .asString();
            assertFalse(own.contains(listed), own);
            assertFalse(own.contains(weak), own);
        } finally {
            // Back to the default watch for the other tests (the restart puts the bundled lists back too).
            suite.stop("kyc-service");
            suite.restart("kyc-service");
        }
    }

    private static Map<String, Object> application(String legalName, String username, String model) {
        Map<String, Object> body = new HashMap<>();
        body.put("legalName", legalName);
        body.put("email", username + "@example.org");
        body.put("institutionalEmail", username + "@tum.de");
        body.put("orcid", "0000-0002-1825-0097");
        body.put("affiliation", "Technical University of Munich");
        body.put("rorId", "https://ror.org/02kkvpp62");
        body.put("country", "DE");
        body.put("dateOfBirth", "1990-05-17");
        body.put("nationality", "DE");
        body.put("position", "Postdoctoral researcher");
        body.put("purpose", "Red-teaming refusal behaviour of frontier models for a peer-reviewed study.");
        body.put("requestedTier", 1);
        body.put("requestedModels", List.of(model));
        body.put("fundingSources", "University funds only");
        body.put("conflictsOfInterest", "None");
        body.put("termsAccepted", true);
        body.put("termsVersion", "2026-01");
        return body;
    }
}
