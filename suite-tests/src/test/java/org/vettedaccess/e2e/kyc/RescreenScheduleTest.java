package org.vettedaccess.e2e.kyc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * The scheduled re-screen runs on time across restarts: kyc-service restarted just before the re-screen is due
 * still re-screens when it is due, instead of waiting a whole interval from the restart (which, for a service
 * restarted more often than daily, was never). A short interval is set for this test only; the default is daily.
 */
@ExtendWith(RunningSuite.class)
class RescreenScheduleTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Map<String, String> SHORT_INTERVAL =
            Map.of("KYC_RESCREEN_INTERVAL", INTERVAL.toSeconds() + "s");

    private static Response as(String token, String method, String url, Object body) {
        var request = given().auth().oauth2(token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return method.equals("GET") ? request.get(url) : request.post(url);
    }

    /** When the last successful re-screen began, as kyc-service stored it (null before the first). */
    private static Instant lastRescreen(LocalSuite suite) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                        suite.database().jdbcUrl("va_kyc"),
                        suite.database().user(),
                        suite.database().password());
                PreparedStatement read = connection.prepareStatement(
                        "SELECT last_success_at FROM kyc.job_runs WHERE name = 'rescreen'");
                ResultSet row = read.executeQuery()) {
            OffsetDateTime at = row.next() ? row.getObject(1, OffsetDateTime.class) : null;
            return at == null ? null : at.toInstant();
        }
    }

    /** The stored row, for a failure's message. */
    private static String jobRow(LocalSuite suite) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                        suite.database().jdbcUrl("va_kyc"),
                        suite.database().user(),
                        suite.database().password());
                PreparedStatement read = connection.prepareStatement(
                        "SELECT last_success_at, last_attempt_at, last_error FROM kyc.job_runs WHERE name = 'rescreen'");
                ResultSet row = read.executeQuery()) {
            return row.next()
                    ? "last success " + row.getString(1) + ", last attempt " + row.getString(2) + ", error "
                            + row.getString(3)
                    : "no run stored";
        }
    }

    private static Instant awaitRescreenAfter(LocalSuite suite, Instant after, Instant deadline) throws Exception {
        while (Instant.now().isBefore(deadline)) {
            Instant last = lastRescreen(suite);
            if (last != null && last.isAfter(after)) {
                return last;
            }
            Thread.sleep(250);
        }
        return null;
    }

    private static void sleepUntil(Instant moment) throws InterruptedException {
        long millis = Duration.between(Instant.now(), moment).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    @Test
    void aRestartJustBeforeTheReScreenIsDueDoesNotPostponeIt(LocalSuite suite, Keycloak keycloak) throws Exception {
        suite.stop("kyc-service");
        try {
            suite.restart("kyc-service", SHORT_INTERVAL);
            // The re-screen made at the suite's start is overdue with the short interval: it runs now, at start.
            Instant first = awaitRescreenAfter(
                    suite, Instant.now().minus(INTERVAL), Instant.now().plus(Duration.ofSeconds(30)));
            assertTrue(first != null, "the overdue re-screen runs at start: " + jobRow(suite));

            // An approved researcher, whose name the lab's list gains later.
            String kyc = suite.serviceUrl("kyc-service");
            PolicyFixture policy = new PolicyFixture(suite, keycloak);
            String model = "sched-small-" + UUID.randomUUID().toString().substring(0, 8);
            policy.putModel(model, 1e22, List.of()).then().statusCode(200);
            String alice = keycloak.userToken("alice");
            String rita = keycloak.userToken("rita");
            StringBuilder surname = new StringBuilder("Schedule");
            for (char c : UUID.randomUUID()
                    .toString()
                    .replace("-", "")
                    .substring(0, 8)
                    .toCharArray()) {
                surname.append((char) ('a' + Character.digit(c, 16)));
            }
            String name = "Alice " + surname;
            String id = as(alice, "POST", kyc + "/api/v1/applications", application(name, model))
                    .path("id");
            as(alice, "POST", kyc + "/api/v1/applications/" + id + "/submit", null)
                    .then()
                    .statusCode(200);
            // The screening's result as the reviewer sees it (the researcher is never told: no tipping-off).
            as(rita, "GET", kyc + "/api/v1/review/applications/" + id, null)
                    .then()
                    .body("checks.find { it.name == 'sanctions' }.result", equalTo("PASS"));
            as(rita, "POST", kyc + "/api/v1/applications/" + id + "/claim", null)
                    .then()
                    .statusCode(200);
            as(
                            rita,
                            "POST",
                            kyc + "/api/v1/applications/" + id + "/decide",
                            Map.of("decision", "APPROVE", "reason", "All checks pass."))
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("APPROVED"));
            Instant due = first.plus(INTERVAL);

            // Restart shortly before it is due: the new process must not start counting the interval again.
            sleepUntil(due.minusSeconds(30));
            suite.stop("kyc-service");
            suite.restart("kyc-service", SHORT_INTERVAL);
            Instant ready = Instant.now();
            // The lab's list gains the name (after the restart, which puts the bundled lists back): only the
            // re-screen due next can catch it.
            Files.writeString(
                    suite.sanctionsDirectory().resolve("targets.simple.csv"),
                    "demo-schedule-" + surname + ",Person," + name + ",,,de,,,\"DEMO (fixture)\",,,demo_sanctions,"
                            + "2026-11-01T00:00:00,2026-11-01T00:00:00,2026-11-01T00:00:00\n",
                    StandardOpenOption.APPEND);
            assertTrue(
                    Instant.now().isBefore(due.minusSeconds(1)),
                    "kyc-service restarted before the re-screen was due (ready at " + ready + ", due " + due + ")");
            assertEquals(first, lastRescreen(suite), "nothing ran at this start: it was not due");
            // Counting from the restart it would run at ready + INTERVAL; it must run when due.
            Instant deadline = due.plusSeconds(15);
            assertTrue(deadline.isBefore(ready.plus(INTERVAL)), "the bound tells the two apart");

            Instant second = awaitRescreenAfter(suite, first, deadline);
            assertTrue(
                    second != null,
                    "the re-screen due " + due + " ran by " + deadline + " (ready at " + ready + "): " + jobRow(suite));
            assertTrue(!second.isBefore(due), "not before it was due: " + second + " < " + due);
            // The reviewer sees the hit; the researcher sees only that checks are in progress (no tipping-off).
            Response after = as(keycloak.userToken("rita"), "GET", kyc + "/api/v1/review/applications/" + id, null);
            after.then().statusCode(200).body("state", equalTo("IN_REVIEW"));
            assertTrue(after.asString().contains("demo-schedule-" + surname), after.asString());
            Response own = as(keycloak.userToken("alice"), "GET", kyc + "/api/v1/applications/" + id, null);
            own.then().statusCode(200).body("state", equalTo("IN_REVIEW"));
            assertTrue(!own.asString().contains("demo-schedule-" + surname), own.asString());
            assertEquals(
                    "kyc_not_current",
                    policy.decision(policy.subjectOf("alice"), model),
                    "the scheduled re-screen's suspension stops access");
        } finally {
            // Back to the daily default for the other tests.
            suite.stop("kyc-service");
            suite.restart("kyc-service");
        }
    }

    private static Map<String, Object> application(String legalName, String model) {
        Map<String, Object> body = new HashMap<>();
        body.put("legalName", legalName);
        body.put("email", "alice@example.org");
        body.put("institutionalEmail", "alice.example@tum.de");
        body.put("orcid", "0000-0002-1825-0097");
        body.put("affiliation", "Technical University of Munich");
        body.put("rorId", "https://ror.org/02kkvpp62");
        body.put("country", "DE");
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
