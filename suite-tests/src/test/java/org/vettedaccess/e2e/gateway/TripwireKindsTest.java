package org.vettedaccess.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;
import static org.vettedaccess.e2e.gateway.Tripwires.awaitLeaf;
import static org.vettedaccess.e2e.gateway.Tripwires.awaitTrip;
import static org.vettedaccess.e2e.gateway.Tripwires.define;
import static org.vettedaccess.e2e.gateway.Tripwires.killSwitch;
import static org.vettedaccess.e2e.gateway.Tripwires.put;
import static org.vettedaccess.e2e.gateway.Tripwires.rateRule;
import static org.vettedaccess.e2e.gateway.Tripwires.researcherKey;
import static org.vettedaccess.e2e.gateway.Tripwires.simFault;
import static org.vettedaccess.e2e.gateway.Tripwires.trips;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.ConformanceProbe;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/**
 * The model rule kinds {@link TripwireTest} does not drive: the error rate (the simulator's 503 fault) and calls
 * outside the allowed hours. Each test has its own model, so the MODEL kill switch it trips stops nobody else.
 */
@ExtendWith(RunningSuite.class)
class TripwireKindsTest {

    private static final String REPLICA = "gateway-tripwire-errors";

    @Test
    void aFailingModelServerTripsTheErrorRateRuleAndTheModelIsStopped(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        // The calls go through a replica of their own whose circuit breaker never opens: an open breaker answers
        // without forwarding (not counted), and on the shared gateway it would refuse the next tests' calls.
        int http = SuitePorts.freePort();
        suite.startGatewayReplica(
                REPLICA, http, SuitePorts.freePort(), Map.of("GATEWAY_UPSTREAM_BREAKER_VOLUME", "100000"));
        String replica = "http://localhost:" + http;
        String model = gateway.catalogModel(1);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            keys.add(researcherKey(gateway, keycloak, model));
        }
        Map<String, Object> definition = rateRule("ERROR_RATE", model, true);
        JsonNode rule = define(gateway, definition);
        GatewayFixture.sleep(1_500);
        JsonNode trip;
        Response refused = null;
        try {
            for (String key : keys) {
                GatewayFixture.chat(replica, key, model, 3).then().statusCode(200);
            }
            assertTrue(trips(gateway, rule).isEmpty(), "no trip on clean calls");
            simFault(gateway, "ERROR", model);
            // Three researchers, one call each every 300 ms: under tier 1's 60 a minute per grant.
            long until = System.nanoTime() + 30_000_000_000L;
            int failed = 0;
            while (refused == null && System.nanoTime() < until) {
                for (String key : keys) {
                    Response answer = GatewayFixture.chat(replica, key, model, 3);
                    if (answer.statusCode() == 403) {
                        refused = answer;
                        break;
                    }
                    assertOpenAiError(answer, 503, "upstream_unavailable");
                    failed++;
                }
                GatewayFixture.sleep(300);
            }
            assertNotNull(refused, "the model was never stopped after " + failed + " failed calls");
            assertOpenAiError(refused, 403, "kill_switch_engaged");
            trip = awaitTrip(gateway, rule, Duration.ofSeconds(5));
        } finally {
            simFault(gateway, "NONE", null);
            suite.stop(REPLICA);
        }
        JsonNode figures = trip.path("figures");
        long calls = figures.path("calls").asLong();
        long hits = figures.path("errors").asLong() + figures.path("timeouts").asLong();
        assertTrue(calls >= 8 && hits * 100 >= 50L * calls, figures.toString());
        assertTrue(figures.path("errors").asLong() > 0, "the 503s were counted as errors: " + figures);
        // The kill switch is the ordinary MODEL one: the main gateway refuses the model too, the fault now off.
        JsonNode engaged = killSwitch(gateway, trip.path("killSwitchId").asText());
        assertEquals("ENGAGED", engaged.path("state").asText());
        assertEquals(model, engaged.path("value").asText());
        assertOpenAiError(gateway.chat(keys.get(0), model, 2), 403, "kill_switch_engaged");
        JsonNode leaf = gateway.ledgerEntry(awaitLeaf(gateway, rule, trip));
        assertEquals("tripwire.tripped", leaf.path("type").asText(), leaf.toString());
        assertEquals("ERROR_RATE", leaf.path("kind").asText());
        assertEquals(figures, leaf.path("figures"), "the leaf names the window's figures");
        assertEquals(trip.path("killSwitchId").asText(), leaf.path("switchId").asText());
        put(gateway, rule.path("id").asText(), rateRule("ERROR_RATE", model, false));
    }

    @Test
    void callsOutsideTheModelsAllowedHoursTripTheOffHoursRule(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        ConformanceProbe conformance = new ConformanceProbe(suite, keycloak);
        long first = conformance.size();
        String model = gateway.catalogModel(1);
        String key = researcherKey(gateway, keycloak, model);
        // One allowed hour, twelve hours from now (UTC): this hour and the next are outside it.
        int hour = Instant.now().atZone(ZoneOffset.UTC).getHour();
        int from = (hour + 12) % 24;
        Map<String, Object> definition = offHoursRule(model, from, true);
        JsonNode rule = define(gateway, definition);
        GatewayFixture.sleep(1_500);
        Response refused = null;
        int served = 0;
        for (int i = 0; i < 20 && refused == null; i++) {
            Response answer = gateway.chat(key, model, 3);
            if (answer.statusCode() == 200) {
                served++;
                GatewayFixture.sleep(500);
            } else {
                refused = answer;
            }
        }
        assertNotNull(refused, "calls outside the allowed hours were never stopped (" + served + " served)");
        assertOpenAiError(refused, 403, "kill_switch_engaged");
        assertTrue(served >= 3, "stopped before the rule's 3 calls: " + served);
        JsonNode trip = awaitTrip(gateway, rule, Duration.ofSeconds(5));
        JsonNode figures = trip.path("figures");
        assertTrue(figures.path("callsOutsideHours").asLong() >= 3, figures.toString());
        assertTrue(
                figures.path("calls").asLong()
                        >= figures.path("callsOutsideHours").asLong(),
                figures.toString());
        JsonNode leaf = gateway.ledgerEntry(awaitLeaf(gateway, rule, trip));
        assertEquals("OFF_HOURS", leaf.path("kind").asText(), leaf.toString());
        assertEquals(figures, leaf.path("figures"));
        JsonNode ruleLeaf = gateway.ledgerEntry(rule.path("leafIndex").asLong());
        assertEquals(from, ruleLeaf.path("params").path("allowedFromHour").asInt(), ruleLeaf.toString());
        // The regulator's replay judges the trip from its leaf: nothing ran on the model after the bound.
        JsonNode report = conformance.report(first, conformance.size());
        assertTrue(report.path("trips").asLong() >= 1, report.toString());
        assertTrue(
                report.path("conforms").asBoolean(), report.path("violations").toString());
        put(gateway, rule.path("id").asText(), offHoursRule(model, from, false));
    }

    private static Map<String, Object> offHoursRule(String model, int fromHour, boolean active) {
        Map<String, Object> rule = new HashMap<>(Map.of(
                "kind",
                "OFF_HOURS",
                "model",
                model,
                "windowSeconds",
                60,
                "minCalls",
                3,
                "allowedFromHour",
                fromHour,
                "allowedToHour",
                fromHour + 1));
        rule.put("active", active);
        return rule;
    }
}
