package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Flaw and incident reports (issue 21) through the real suite: a researcher files one with receipts of their own
 * calls, nobody can attach someone else's, the report and every status change are leaves, a breached deadline
 * shows to the regulator, and a critical report's one-click kill switch stops the model within a second.
 */
@ExtendWith(RunningSuite.class)
class IncidentReportTest {

    private static final String TEXT = "The model gives step-by-step synthesis advice when asked in base64.";

    @Test
    void anotherResearchersReceiptIsRefusedAndNothingIsFiled(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted alice = gateway.grant("alice", 1);
        String key = gateway.key("alice", null);
        Response call = gateway.chat(key, alice.model(), 4);
        call.then().statusCode(200);
        String alicesCall = call.header("x-request-id");
        gateway.deliveredReceipt("alice", alicesCall);

        // victor (a researcher, never approved) attaches alice's real call: refused, and nothing is filed.
        Response stolen = file(gateway, "victor", alice.model(), "SAFEGUARD_BYPASS", "HIGH", List.of(alicesCall));
        assertEquals(400, stolen.statusCode(), stolen.asString());
        assertTrue(stolen.contentType().startsWith("application/problem+json"), stolen.contentType());
        assertTrue(
                stolen.path("detail").toString().contains("'receipts[0]' is not a call of yours"), stolen.asString());
        // Nor can he guess one, or slip hers in after it: the same answer whether a call exists or not.
        Response guessed = file(
                gateway,
                "victor",
                alice.model(),
                "OTHER",
                "LOW",
                List.of(UUID.randomUUID().toString(), alicesCall));
        assertEquals(400, guessed.statusCode(), guessed.asString());
        assertTrue(guessed.path("detail").toString().contains("'receipts[0]' is not a call of yours"));
        assertEquals(List.of(), reportLeaves(gateway, alice.model()), "no report leaf for a refused report");
        given().auth()
                .oauth2(gateway.token("victor"))
                .get(gateway.policy.url + "/api/v1/incidents/mine")
                .then()
                .statusCode(200)
                .body("size()", org.hamcrest.Matchers.is(0));
        Response all = given().auth().oauth2(gateway.policy.admin()).get(gateway.policy.url + "/api/v1/incidents");
        all.then().statusCode(200);
        assertFalse(all.asString().contains(alice.model()), "no report on her model: " + all.asString());
        // Nor may a researcher file at access-policy directly, naming leaves himself.
        given().auth()
                .oauth2(gateway.token("victor"))
                .contentType(ContentType.JSON)
                .body(Map.of("reporter", "x", "model", alice.model()))
                .post(gateway.policy.url + "/api/v1/incidents")
                .then()
                .statusCode(403);
    }

    @Test
    void aReportWithTwoOwnReceiptsAndEachStatusChangeAreLeaves(LocalSuite suite, Keycloak keycloak) throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted alice = gateway.grant("alice", 1);
        String key = gateway.key("alice", null);
        List<String> calls = new ArrayList<>();
        List<Long> leaves = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response call = gateway.chat(key, alice.model(), 4);
            call.then().statusCode(200);
            String requestId = call.header("x-request-id");
            calls.add(requestId);
            leaves.add(gateway.deliveredReceipt("alice", requestId)
                    .path("ledgerIndex")
                    .asLong());
        }

        Response filed = file(gateway, "alice", alice.model(), "SAFEGUARD_BYPASS", "HIGH", calls.subList(0, 2));
        assertEquals(201, filed.statusCode(), filed.asString());
        JsonNode report = GatewayFixture.read(filed.asString());
        String id = report.path("id").asText();
        assertEquals("REPORTED", report.path("status").asText());
        assertEquals(
                leaves.get(0).longValue(),
                report.path("receipts").get(0).path("leafIndex").asLong());
        assertEquals(
                leaves.get(1).longValue(),
                report.path("receipts").get(1).path("leafIndex").asLong());
        Instant embargo = Instant.parse(report.path("embargoUntil").asText());
        Instant reported = Instant.parse(report.path("reportedAt").asText());
        assertEquals(Duration.ofDays(90), Duration.between(reported, embargo), "the default embargo");

        JsonNode leaf = gateway.ledgerEntry(report.path("reportedLeaf").asLong());
        assertEquals(id, leaf.path("reportId").asText());
        assertEquals(alice.model(), leaf.path("model").asText());
        assertEquals("SAFEGUARD_BYPASS", leaf.path("category").asText());
        assertEquals("HIGH", leaf.path("severity").asText());
        assertEquals(
                leaves.get(0).longValue(), leaf.path("receiptLeaves").get(0).asLong());
        assertEquals(
                leaves.get(1).longValue(), leaf.path("receiptLeaves").get(1).asLong());
        assertEquals(2, leaf.path("receiptLeaves").size());
        assertEquals(pseudonym(gateway, "alice"), leaf.path("reporter").asText());
        assertEquals(
                commitment(report.path("textSalt").asText(), TEXT),
                leaf.path("textCommitment").asText());
        assertFalse(leaf.toString().contains("base64"), "the text never reaches the ledger: " + leaf);
        assertEquals(List.of(report.path("reportedLeaf").asLong()), reportLeaves(gateway, alice.model()));

        // A researcher cannot answer a report, nor read the triage list; a triager answers each step with a leaf.
        given().auth()
                .oauth2(gateway.token("alice"))
                .contentType(ContentType.JSON)
                .body("{}")
                .post(gateway.policy.url + "/api/v1/incidents/" + id + "/acknowledge")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(gateway.token("alice"))
                .get(gateway.policy.url + "/api/v1/incidents")
                .then()
                .statusCode(403);
        answer(gateway, id, "triage", Map.of("severity", "MEDIUM")).then().statusCode(409);
        String[][] steps = {
            {"acknowledge", "ACKNOWLEDGED", "incident.acknowledged"},
            {"triage", "TRIAGED", "incident.triaged"},
            {"mitigate", "MITIGATED", "incident.mitigated"},
            {"disclose", "DISCLOSED", "incident.disclosed"}
        };
        Map<String, Map<String, String>> bodies = Map.of(
                "acknowledge", Map.of(),
                "triage", Map.of("severity", "CRITICAL"),
                "mitigate", Map.of("mitigation", "TIER_CHANGE", "change", "tier 1 version 2"),
                "disclose", Map.of("reason", "https://lab.example.org/advisories/1"));
        for (String[] step : steps) {
            Response answered = answer(gateway, id, step[0], bodies.get(step[0]));
            assertEquals(200, answered.statusCode(), step[0] + ": " + answered.asString());
            JsonNode history = GatewayFixture.read(answered.asString()).path("history");
            JsonNode last = history.get(history.size() - 1);
            assertEquals(step[1], last.path("status").asText());
            JsonNode statusLeaf = gateway.ledgerEntry(last.path("leafIndex").asLong());
            assertEquals(id, statusLeaf.path("reportId").asText(), step[2]);
            assertEquals(
                    report.path("reportedLeaf").asLong(),
                    statusLeaf.path("reportLeaf").asLong());
            assertEquals(pseudonym(gateway, "paula"), statusLeaf.path("actor").asText());
            assertEquals(step[2], entryType(gateway, last.path("leafIndex").asLong()));
            if (step[0].equals("triage")) {
                assertEquals("CRITICAL", statusLeaf.path("severity").asText(), "the confirmed severity");
            }
            if (step[0].equals("mitigate")) {
                assertEquals("TIER_CHANGE", statusLeaf.path("mitigation").asText());
                assertEquals("tier 1 version 2", statusLeaf.path("change").asText());
            }
        }
        answer(gateway, id, "reject", Map.of("reason", "late")).then().statusCode(409);
        JsonNode mine = GatewayFixture.read(given().auth()
                .oauth2(gateway.token("alice"))
                .get(gateway.policy.url + "/api/v1/incidents/mine")
                .asString());
        JsonNode seen = null;
        for (JsonNode r : mine) {
            if (r.path("id").asText().equals(id)) {
                seen = r;
            }
        }
        assertNotNull(seen, "the reporter sees their report");
        assertEquals("DISCLOSED", seen.path("status").asText());
        assertEquals(embargo, Instant.parse(seen.path("embargoUntil").asText()));

        // The report's leaf is in the regulator's export bundle like every leaf (the text is not).
        String greg = gateway.token("greg");
        given().auth()
                .oauth2(greg)
                .post(gateway.policy.ledger.url() + "/api/v1/checkpoints")
                .then()
                .statusCode(org.hamcrest.Matchers.lessThan(300));
        JsonNode bundle = GatewayFixture.read(given().auth()
                .oauth2(greg)
                .get(gateway.policy.ledger.url() + "/api/v1/export")
                .asString());
        String exported = null;
        for (JsonNode entry : bundle.path("entries")) {
            if (entry.path("index").asLong() == report.path("reportedLeaf").asLong()) {
                exported = new String(
                        java.util.Base64.getDecoder().decode(entry.path("leaf").asText()), StandardCharsets.UTF_8);
            }
        }
        assertNotNull(exported, "the report's leaf is in the export");
        assertTrue(exported.contains("\"type\":\"incident.reported\"") && exported.contains(id), exported);
        assertFalse(exported.contains("base64"), "no text in the export");

        // A rejection needs its reason, and is a leaf too.
        Response other = file(gateway, "alice", alice.model(), "OTHER", "LOW", List.of(calls.get(2)));
        assertEquals(201, other.statusCode(), other.asString());
        String otherId = other.path("id");
        answer(gateway, otherId, "reject", Map.of()).then().statusCode(400);
        Response rejected = answer(gateway, otherId, "reject", Map.of("reason", "works as intended"));
        assertEquals(200, rejected.statusCode(), rejected.asString());
        long rejectedLeaf = ((Number) rejected.path("history[0].leafIndex")).longValue();
        assertEquals("incident.rejected", entryType(gateway, rejectedLeaf));
        assertEquals(
                "works as intended",
                gateway.ledgerEntry(rejectedLeaf).path("reason").asText());
    }

    @Test
    void aBreachedAcknowledgementDeadlineShowsInTheRegulatorsConsole(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        String model = gateway.catalogModel(1);
        Response filed = file(gateway, "alice", model, "PRIVACY_LEAK", "CRITICAL", List.of());
        assertEquals(201, filed.statusCode(), filed.asString());
        String id = filed.path("id");
        assertFalse(breached(gateway, id), "not yet due");
        try {
            // The incident clock (only end-to-end runs may move it) passes the 24 h acknowledgement deadline.
            clock(gateway, "PT25H");
            assertTrue(breached(gateway, id), "unanswered after 25 h");
            JsonNode overview = overview(gateway);
            JsonNode summary = find(overview.path("breached"), id);
            assertTrue(summary.path("acknowledgementBreached").asBoolean());
            assertFalse(summary.path("mitigationBreached").asBoolean(), "7 days to mitigate");
            assertTrue(summary.path("description").isMissingNode(), "no text for the regulator");
            assertNotNull(find(overview.path("open"), id), "still open");
            // A researcher may not read the overview.
            given().auth()
                    .oauth2(gateway.token("alice"))
                    .get(gateway.policy.url + "/api/v1/incidents/overview")
                    .then()
                    .statusCode(403);
            // A late answer does not cure the breach.
            answer(gateway, id, "acknowledge", Map.of()).then().statusCode(200);
            assertTrue(breached(gateway, id), "answered after the deadline");
        } finally {
            clock(gateway, "PT0S");
        }
    }

    @Test
    void aCriticalReportsOneClickKillSwitchStopsTheModelWithinASecond(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted alice = gateway.grant("alice", 1);
        String key = gateway.key("alice", null);
        gateway.chat(key, alice.model(), 2).then().statusCode(200);
        Response call = gateway.chat(key, alice.model(), 2);
        call.then().statusCode(200);
        gateway.deliveredReceipt("alice", call.header("x-request-id"));
        Response high = file(gateway, "alice", alice.model(), "DANGEROUS_CAPABILITY", "HIGH", List.of());
        given().auth()
                .oauth2(gateway.policy.admin())
                .post(gateway.policy.url + "/api/v1/incidents/" + high.path("id") + "/kill-switch")
                .then()
                .statusCode(409);
        Response filed = file(
                gateway,
                "alice",
                alice.model(),
                "DANGEROUS_CAPABILITY",
                "CRITICAL",
                List.of(call.header("x-request-id")));
        String id = filed.path("id");

        // The admin's token first: a Keycloak sign-in is no part of the kill switch's second.
        String admin = gateway.policy.admin();
        long clicked = System.nanoTime();
        Response answered =
                given().auth().oauth2(admin).post(gateway.policy.url + "/api/v1/incidents/" + id + "/kill-switch");
        assertEquals(200, answered.statusCode(), answered.asString());
        long took = millisUntil403(clicked, () -> gateway.chat(key, alice.model(), 2));
        assertTrue(took < 1_000, "the model was refused after " + took + " ms");
        assertOpenAiError(gateway.chat(key, alice.model(), 2), 403, "kill_switch_engaged");
        assertEquals("MITIGATED", answered.path("status"));
        String switchId = answered.path("history[0].switchId");

        // Both leaves come from the outbox and name each other.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Long mitigatedLeaf = null;
        Long engagedLeaf = null;
        while ((mitigatedLeaf == null || engagedLeaf == null) && System.nanoTime() < deadline) {
            Response report =
                    given().auth().oauth2(gateway.policy.admin()).get(gateway.policy.url + "/api/v1/incidents/" + id);
            Number m = report.path("history[0].leafIndex");
            mitigatedLeaf = m == null ? null : m.longValue();
            Response switches =
                    given().auth().oauth2(gateway.policy.admin()).get(gateway.policy.url + "/api/v1/killswitches");
            Number e = switches.path("find { it.id == '" + switchId + "' }.engagedLeaf");
            engagedLeaf = e == null ? null : e.longValue();
            sleep(100);
        }
        assertNotNull(mitigatedLeaf, "the mitigated leaf was delivered");
        assertNotNull(engagedLeaf, "the kill switch's leaf was delivered");
        JsonNode mitigated = gateway.ledgerEntry(mitigatedLeaf);
        assertEquals("KILL_SWITCH", mitigated.path("mitigation").asText());
        assertEquals(switchId, mitigated.path("switchId").asText());
        JsonNode engaged = gateway.ledgerEntry(engagedLeaf);
        assertEquals(id, engaged.path("incidentId").asText());
        assertEquals(alice.model(), engaged.path("scope").path("models").get(0).asText());
    }

    @Test
    void withTheLedgerDownFilingWaitsButTheOneClickKillSwitchDoesNot(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted alice = gateway.grant("alice", 1);
        String key = gateway.key("alice", null);
        gateway.chat(key, alice.model(), 2).then().statusCode(200);
        gateway.chat(key, alice.model(), 2).then().statusCode(200);
        Response filed = file(gateway, "alice", alice.model(), "DANGEROUS_CAPABILITY", "CRITICAL", List.of());
        assertEquals(201, filed.statusCode(), filed.asString());
        String id = filed.path("id");
        int reportsBefore = given().auth()
                .oauth2(gateway.token("alice"))
                .get(gateway.policy.url + "/api/v1/incidents/mine")
                .<Integer>path("size()");
        Response answered;
        long clicked;
        suite.stop("usage-ledger");
        try {
            // Filing and an ordinary answer wait for their leaf: refused, and nothing is stored or changed.
            Response refused = file(gateway, "alice", alice.model(), "OTHER", "LOW", List.of());
            assertEquals(503, refused.statusCode(), refused.asString());
            assertEquals(reportsBefore, (int) given().auth()
                    .oauth2(gateway.token("alice"))
                    .get(gateway.policy.url + "/api/v1/incidents/mine")
                    .<Integer>path("size()"));
            assertEquals(503, answer(gateway, id, "acknowledge", Map.of()).statusCode());
            // Tier 1 does not fail closed: the model still answers until the switch is engaged.
            gateway.chat(key, alice.model(), 2).then().statusCode(200);
            // The one-click kill switch is restrictive: in force at once, its leaves pending.
            String admin = gateway.policy.admin(); // fetched before the clock starts
            clicked = System.nanoTime();
            answered =
                    given().auth().oauth2(admin).post(gateway.policy.url + "/api/v1/incidents/" + id + "/kill-switch");
            assertEquals(200, answered.statusCode(), answered.asString());
            long took = millisUntil403(clicked, () -> gateway.chat(key, alice.model(), 2));
            assertTrue(took < 1_000, "the model was refused after " + took + " ms with the ledger down");
            assertOpenAiError(gateway.chat(key, alice.model(), 2), 403, "kill_switch_engaged");
            assertEquals("MITIGATED", answered.path("status"));
            Object pending = answered.path("history[0].leafIndex");
            assertNull(pending, "its leaf waits in the outbox");
        } finally {
            suite.restart("usage-ledger");
        }
        // Once the ledger is back, both leaves arrive from the outbox and name each other.
        String switchId = answered.path("history[0].switchId");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Number mitigatedLeaf = null;
        while (mitigatedLeaf == null && System.nanoTime() < deadline) {
            mitigatedLeaf = given().auth()
                    .oauth2(gateway.policy.admin())
                    .get(gateway.policy.url + "/api/v1/incidents/" + id)
                    .path("history[0].leafIndex");
            sleep(200);
        }
        assertNotNull(mitigatedLeaf, "the mitigated leaf was delivered after the ledger came back");
        JsonNode mitigated = gateway.ledgerEntry(mitigatedLeaf.longValue());
        assertEquals(switchId, mitigated.path("switchId").asText());
        assertEquals(id, mitigated.path("reportId").asText());
    }

    static Response file(
            GatewayFixture gateway,
            String user,
            String model,
            String category,
            String severity,
            List<String> receipts) {
        return given().auth()
                .oauth2(gateway.token(user))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "model", model,
                        "category", category,
                        "severity", severity,
                        "description", TEXT,
                        "receipts", receipts))
                .post(gateway.url + "/api/v1/incidents");
    }

    private static Response answer(GatewayFixture gateway, String id, String action, Map<String, String> body) {
        return given().auth()
                .oauth2(gateway.policy.admin())
                .contentType(ContentType.JSON)
                .body(body)
                .post(gateway.policy.url + "/api/v1/incidents/" + id + "/" + action);
    }

    private static void clock(GatewayFixture gateway, String offset) {
        given().auth()
                .oauth2(gateway.policy.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("offset", offset))
                .put(gateway.policy.url + "/api/v1/incidents/test-clock")
                .then()
                .statusCode(200);
    }

    private static JsonNode overview(GatewayFixture gateway) {
        Response overview =
                given().auth().oauth2(gateway.token("greg")).get(gateway.policy.url + "/api/v1/incidents/overview");
        overview.then().statusCode(200);
        return GatewayFixture.read(overview.asString());
    }

    private static boolean breached(GatewayFixture gateway, String id) {
        return find(overview(gateway).path("breached"), id) != null;
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode item : list) {
            if (item.path("id").asText().equals(id)) {
                return item;
            }
        }
        return null;
    }

    /** The incident.reported leaves of a model, as the regulator finds them. */
    private static List<Long> reportLeaves(GatewayFixture gateway, String model) {
        Response page = given().auth()
                .oauth2(gateway.token("greg"))
                .queryParam("type", "incident.reported")
                .queryParam("model", model)
                .get(gateway.policy.ledger.url() + "/api/v1/entries");
        page.then().statusCode(200);
        List<Long> leaves = new ArrayList<>();
        GatewayFixture.read(page.asString())
                .path("entries")
                .forEach(e -> leaves.add(e.path("index").asLong()));
        return leaves;
    }

    private static String entryType(GatewayFixture gateway, long index) {
        return given().auth()
                .oauth2(gateway.token("greg"))
                .get(gateway.policy.ledger.url() + "/api/v1/entries/" + index)
                .then()
                .statusCode(200)
                .extract()
                .path("type");
    }

    private static String pseudonym(GatewayFixture gateway, String user) {
        return given().auth()
                .oauth2(gateway.token(user))
                .get(gateway.policy.ledger.url() + "/api/v1/pseudonyms/me")
                .then()
                .statusCode(200)
                .extract()
                .path("pseudonym");
    }

    static String commitment(String saltHex, String text) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(HexFormat.of().parseHex(saltHex));
        return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long millisUntil403(long since, java.util.function.Supplier<Response> call) {
        while (true) {
            Response response = call.get();
            long elapsed = (System.nanoTime() - since) / 1_000_000;
            if (response.statusCode() == 403) {
                return elapsed;
            }
            if (elapsed > 5_000) {
                throw new AssertionError("still " + response.statusCode() + " after 5 s: " + response.asString());
            }
        }
    }
}
