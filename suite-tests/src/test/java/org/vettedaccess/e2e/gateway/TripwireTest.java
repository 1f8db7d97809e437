package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;
import static org.vettedaccess.e2e.gateway.Tripwires.awaitLeaf;
import static org.vettedaccess.e2e.gateway.Tripwires.awaitTrip;
import static org.vettedaccess.e2e.gateway.Tripwires.define;
import static org.vettedaccess.e2e.gateway.Tripwires.killSwitch;
import static org.vettedaccess.e2e.gateway.Tripwires.put;
import static org.vettedaccess.e2e.gateway.Tripwires.refusalRule;
import static org.vettedaccess.e2e.gateway.Tripwires.release;
import static org.vettedaccess.e2e.gateway.Tripwires.reportTrip;
import static org.vettedaccess.e2e.gateway.Tripwires.researcher;
import static org.vettedaccess.e2e.gateway.Tripwires.researcherKey;
import static org.vettedaccess.e2e.gateway.Tripwires.simFault;
import static org.vettedaccess.e2e.gateway.Tripwires.trips;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.gateway.Tripwires.Researcher;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/**
 * Tripwires (issue 21): rules a policy admin defines, checked by the gateways on their shared counters, that stop
 * a model or suspend a grant on their own. Each test makes its own model and researchers, so shared demo state is
 * untouched; the simulator's fault is scoped to the test's model.
 */
@ExtendWith(RunningSuite.class)
class TripwireTest {

    private static final String GATEWAY_2 = "gateway-r2-tripwire";

    /** One streamed call as a researcher saw it. */
    record Call(String gateway, int status, String code, long startedMillis, boolean refused) {}

    @Test
    void theRefusalFaultUnderStreamingLoadTripsTheRuleAndStopsTheModelOnBothReplicasWithinASecond(
            LocalSuite suite, Keycloak keycloak) throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        int http = SuitePorts.freePort();
        suite.startGatewayReplica(GATEWAY_2, http, SuitePorts.freePort(), Map.of());
        List<String> gateways = List.of(gateway.url, "http://localhost:" + http);
        String model = gateway.catalogModel(1);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            keys.add(researcherKey(gateway, keycloak, model));
        }
        // A fourth researcher probes both replicas every 50 ms from the moment the trip is seen.
        String probe = researcherKey(gateway, keycloak, model);
        JsonNode rule = define(gateway, refusalRule(model, true));
        assertEquals(1, rule.path("version").asInt());
        JsonNode ruleLeaf = gateway.ledgerEntry(rule.path("leafIndex").asLong());
        assertEquals(model, ruleLeaf.path("model").asText(), ruleLeaf.toString());
        assertEquals("tripwire.changed", ruleLeaf.path("type").asText(), ruleLeaf.toString());
        // The gateways read the rules every second.
        GatewayFixture.sleep(1_500);

        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService load = Executors.newFixedThreadPool(keys.size() * 2);
        // Each researcher streams through both replicas, within tier 1's 60 calls a minute per grant.
        for (String key : keys) {
            for (String target : gateways) {
                load.submit(() -> {
                    while (running.get()) {
                        calls.add(stream(client, target, key, model));
                        GatewayFixture.sleep(2_100);
                    }
                });
            }
        }
        JsonNode trip;
        Instant faultOn;
        try {
            // At least 8 clean calls first (the rule's minimum), however slow the machine: a fixed wait made the
            // precondition fail on a loaded machine (6 calls in 4 s) before the tripwire was ever exercised.
            long clean = 0;
            for (long until = System.nanoTime() + 30_000_000_000L; clean < 8 && System.nanoTime() < until; ) {
                GatewayFixture.sleep(250);
                clean = calls.stream().filter(c -> c.status() == 200).count();
            }
            assertTrue(clean >= 8, "clean calls before the fault: " + clean);
            assertTrue(trips(gateway, rule).isEmpty(), "no trip on clean traffic");
            faultOn = Instant.now();
            simFault(gateway, "REFUSAL", model);
            trip = awaitTrip(gateway, rule, Duration.ofSeconds(30));
            long trippedAt = Instant.parse(trip.path("trippedAt").asText()).toEpochMilli();
            Map<String, Long> refusedAfter = new java.util.LinkedHashMap<>();
            while (refusedAfter.size() < gateways.size() && System.currentTimeMillis() - trippedAt < 1_500) {
                for (String target : gateways) {
                    if (!refusedAfter.containsKey(target)
                            && GatewayFixture.chat(target, probe, model, 2).statusCode() == 403) {
                        refusedAfter.put(target, System.currentTimeMillis() - trippedAt);
                    }
                }
                GatewayFixture.sleep(50);
            }
            System.out.printf("[tripwire] refused after the trip (ms, by gateway): %s%n", refusedAfter);
            for (String target : gateways) {
                Long took = refusedAfter.get(target);
                assertTrue(took != null && took < 1_000, target + " refused " + took + " ms after the trip");
            }
            // Load goes on for 2.5 s after the trip: every call started 1 s after it must be refused everywhere.
            GatewayFixture.sleep(2_500);
        } finally {
            running.set(false);
            load.shutdown();
            load.awaitTermination(40, TimeUnit.SECONDS);
            simFault(gateway, "NONE", null);
        }
        try {
            long tripped = Instant.parse(trip.path("trippedAt").asText()).toEpochMilli();
            System.out.printf(
                    "[tripwire] fault on %s, tripped %s after %d ms: %s%n",
                    faultOn, trip.path("trippedAt").asText(), tripped - faultOn.toEpochMilli(), trip);
            // The figures are the window's, and they cross the rule.
            JsonNode figures = trip.path("figures");
            long windowCalls = figures.path("calls").asLong();
            long hits = figures.path("refusals").asLong()
                    + figures.path("contentFilters").asLong();
            assertEquals(20, figures.path("windowSeconds").asLong());
            assertTrue(windowCalls >= 8 && hits * 100 >= 50 * windowCalls, figures.toString());
            assertTrue(figures.path("refusals").asLong() > 0, "the refusals were seen in the streams: " + figures);
            assertEquals(rule.path("version").asInt(), trip.path("ruleVersion").asInt());
            assertEquals(rule.path("leafIndex").asLong(), trip.path("ruleLeaf").asLong());
            // Two replicas evaluated the same window: one trip, one kill switch.
            assertEquals(1, trips(gateway, rule).size(), "one trip for the rule");

            for (String target : gateways) {
                List<Call> late = calls.stream()
                        .filter(c -> c.gateway().equals(target) && c.startedMillis() > tripped + 1_000)
                        .toList();
                assertFalse(late.isEmpty(), "calls through " + target + " after the trip");
                for (Call call : late) {
                    assertTrue(
                            call.status() == 403 && "kill_switch_engaged".equals(call.code()),
                            "a call through " + target + " " + (call.startedMillis() - tripped)
                                    + " ms after the trip was not refused: " + call);
                }
                Call first = calls.stream()
                        .filter(c -> c.gateway().equals(target) && c.status() == 403)
                        .min(java.util.Comparator.comparingLong(Call::startedMillis))
                        .orElseThrow();
                System.out.printf(
                        "[tripwire] %s first refused a call started %d ms after the trip%n",
                        target, first.startedMillis() - tripped);
                assertOpenAiError(GatewayFixture.chat(target, keys.get(0), model, 2), 403, "kill_switch_engaged");
            }
            // The kill switch is the ordinary one, engaged by the gateway's report, and its leaf names the trip.
            String switchId = trip.path("killSwitchId").asText();
            JsonNode engaged = killSwitch(gateway, switchId);
            assertEquals("ENGAGED", engaged.path("state").asText());
            assertEquals(model, engaged.path("value").asText());
            JsonNode tripLeaf = gateway.ledgerEntry(awaitLeaf(gateway, rule, trip));
            assertEquals("tripwire.tripped", tripLeaf.path("type").asText(), tripLeaf.toString());
            JsonNode leafEntry = tripLeaf;
            assertEquals(trip.path("id").asText(), leafEntry.path("tripId").asText());
            assertEquals(figures, leafEntry.path("figures"), "the leaf names the window's figures");
            assertEquals(
                    rule.path("leafIndex").asLong(), leafEntry.path("ruleLeaf").asLong());
            assertEquals(switchId, leafEntry.path("switchId").asText());

            // The regulator's console shows the trip, from the ledger, with its figures.
            String console = org.vettedaccess.e2e.portal.RegulatorConsole.tripsTable(gateway.url, model);
            assertTrue(
                    console.contains("REFUSAL_RATE v1")
                            && console.contains(
                                    "refusals " + figures.path("refusals").asLong()),
                    console);

            // Release is the kill switch's own, with two admins: paula asks, she cannot confirm, pete does.
            release(gateway, "paula", switchId)
                    .then()
                    .statusCode(200)
                    .body("state", org.hamcrest.Matchers.equalTo("RELEASE_REQUESTED"));
            release(gateway, "paula", switchId).then().statusCode(409);
            release(gateway, "pete", switchId)
                    .then()
                    .statusCode(200)
                    .body("state", org.hamcrest.Matchers.equalTo("RELEASED"));
        } finally {
            suite.stop(GATEWAY_2);
            // The rule's next version switches it off: a leaf like the first.
            JsonNode off = put(gateway, rule.path("id").asText(), refusalRule(model, false));
            assertEquals(2, off.path("version").asInt());
        }
    }

    @Test
    void aSpikingResearcherIsSuspendedByTheTokensPerHourRuleWhileTheOthersGoOn(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        String model = gateway.catalogModel(1);
        Researcher calm1 = researcher(gateway, keycloak, model);
        Researcher calm2 = researcher(gateway, keycloak, model);
        Researcher spiker = researcher(gateway, keycloak, model);
        // The spiker's history, in the same counters the gateways keep (a week of use would take a week): 400
        // tokens in each of three earlier hours, so their baseline is that median, not the rule's floor.
        long hour = System.currentTimeMillis() / 3_600_000L;
        for (int ago : List.of(2, 5, 30)) {
            redis(suite, "HSET", "va:tw:{s:" + model + ":" + spiker.subject() + "}", String.valueOf(hour - ago), "400");
        }
        // 3 x the baseline trips: 3 x 400 = 1,200 tokens this hour for the spiker; 3 x the floor of 100 = 300 for
        // the others, who have no history.
        JsonNode rule = define(
                gateway,
                Map.of("kind", "SUBJECT_TOKENS_PER_HOUR", "model", model, "multiple", 3.0, "baselineFloorTokens", 100));
        GatewayFixture.sleep(1_500);
        for (Researcher calm : List.of(calm1, calm2)) {
            for (int i = 0; i < 2; i++) {
                gateway.chat(calm.key(), model, 20).then().statusCode(200);
            }
        }
        Response refused = null;
        int served = 0;
        for (int i = 0; i < 30 && refused == null; i++) {
            Response answer = fullAnswer(gateway, spiker.key(), model, 200);
            if (answer.statusCode() == 200) {
                served++;
                GatewayFixture.sleep(150);
            } else {
                refused = answer;
            }
        }
        assertNotNull(refused, "the spiking researcher was never stopped (" + served + " calls served)");
        assertOpenAiError(refused, 403, "grant_suspended");
        // About 205 tokens a call: five calls (over the floor's 300, under the median's 1,200) are not a spike.
        assertTrue(served >= 5, "stopped before crossing 1,200 tokens: " + served + " calls served");
        JsonNode trip = awaitTrip(gateway, rule, Duration.ofSeconds(5));
        assertEquals(spiker.grantId(), trip.path("grantId").asText());
        JsonNode figures = trip.path("figures");
        assertTrue(figures.path("tokensThisHour").asLong() > 1_200, figures.toString());
        assertEquals(400, figures.path("medianTokensPerHour").asLong(), figures.toString());
        assertEquals(3, figures.path("historyHours").asLong(), figures.toString());
        assertEquals(400, figures.path("baselineTokensPerHour").asLong(), figures.toString());
        assertEquals(
                "SUSPENDED",
                given().auth()
                        .oauth2(gateway.policy.admin())
                        .get(gateway.policy.url + "/api/v1/grants/" + spiker.grantId())
                        .path("status"));
        // The others go on.
        for (Researcher calm : List.of(calm1, calm2)) {
            gateway.chat(calm.key(), model, 20).then().statusCode(200);
        }
        JsonNode leaf = gateway.ledgerEntry(awaitLeaf(gateway, rule, trip));
        assertEquals("tripwire.tripped", leaf.path("type").asText(), leaf.toString());
        assertEquals(spiker.grantId(), leaf.path("grantId").asText());
        assertEquals(figures, leaf.path("figures"));
        assertEquals("SUSPEND_GRANT", leaf.path("action").asText());
    }

    /** One Redis command over RESP (the suite's Redis, which the gateways share). */
    private static void redis(LocalSuite suite, String... command) throws java.io.IOException {
        URI url = URI.create(suite.redisUrl());
        try (java.net.Socket socket = new java.net.Socket(url.getHost(), url.getPort())) {
            StringBuilder resp = new StringBuilder("*" + command.length + "\r\n");
            for (String part : command) {
                resp.append('$')
                        .append(part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                        .append("\r\n")
                        .append(part)
                        .append("\r\n");
            }
            socket.getOutputStream().write(resp.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            int first = socket.getInputStream().read();
            assertTrue(first == ':' || first == '+', "Redis answered " + (char) first);
        }
    }

    @Test
    void onlyAdminsDefineRulesAndOnlyTheGatewayReportsTrips(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        Map<String, Object> body = refusalRule("sim-medium", true);
        for (String credential : List.of(gateway.token("alice"), gateway.token("greg"), gateway.policy.gateway())) {
            given().auth()
                    .oauth2(credential)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post(gateway.policy.url + "/api/v1/tripwires")
                    .then()
                    .statusCode(403);
        }
        String model = gateway.catalogModel(1);
        JsonNode rule = define(gateway, refusalRule(model, false));
        Map<String, Object> report = Map.of(
                "version", 1, "figures", Map.of("windowSeconds", 20, "calls", 10, "refusals", 10, "contentFilters", 0));
        // A researcher, a regulator and an admin cannot report a trip (that would engage a kill switch).
        for (String credential : List.of(gateway.token("alice"), gateway.token("greg"), gateway.policy.admin())) {
            reportTrip(gateway, credential, rule, report).then().statusCode(403);
        }
        // The gateway cannot trip an inactive rule, nor one with figures under its threshold.
        reportTrip(gateway, gateway.policy.gateway(), rule, report)
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        JsonNode active = put(gateway, rule.path("id").asText(), refusalRule(model, true));
        reportTrip(
                        gateway,
                        gateway.policy.gateway(),
                        rule,
                        Map.of(
                                "version", active.path("version").asInt(),
                                "figures",
                                        Map.of("windowSeconds", 20, "calls", 10, "refusals", 4, "contentFilters", 0)))
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
        put(gateway, rule.path("id").asText(), refusalRule(model, false));
        // Trips name subject ids: the lab's admins read them here, a regulator reads the ledger's pseudonymous leaves.
        for (String credential : List.of(gateway.token("alice"), gateway.token("greg"), gateway.policy.gateway())) {
            given().auth()
                    .oauth2(credential)
                    .get(gateway.policy.url + "/api/v1/tripwires/trips")
                    .then()
                    .statusCode(403);
        }
        // Bad definitions are problems, not 500s.
        given().auth()
                .oauth2(gateway.policy.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "REFUSAL_RATE", "model", model, "windowSeconds", 5, "thresholdPercent", 50))
                .post(gateway.policy.url + "/api/v1/tripwires")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    /** A chat call the simulator answers up to the cap (ignore_eos), as a model that never stops would. */
    private static Response fullAnswer(GatewayFixture gateway, String key, String model, int maxTokens) {
        return given().header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "model",
                        model,
                        "messages",
                        List.of(Map.of("role", "user", "content", "Write at length.")),
                        "max_tokens",
                        maxTokens,
                        "ignore_eos",
                        true))
                .post(gateway.url + "/v1/chat/completions");
    }

    private static Call stream(HttpClient http, String gatewayUrl, String key, String model) {
        long started = System.currentTimeMillis();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"stream\":true,\"max_tokens\":8,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Stream until the tripwire.\"}]}"))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String code = null;
            if (response.statusCode() != 200) {
                code = GatewayFixture.read(response.body())
                        .path("error")
                        .path("code")
                        .asText(null);
            }
            return new Call(
                    gatewayUrl,
                    response.statusCode(),
                    code,
                    started,
                    response.body().contains("\"refusal\":\"I'm"));
        } catch (Exception e) {
            return new Call(gatewayUrl, 0, e.toString(), started, false);
        }
    }
}
