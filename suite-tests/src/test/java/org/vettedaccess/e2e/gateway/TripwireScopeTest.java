package org.vettedaccess.e2e.gateway;

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
import static org.vettedaccess.e2e.gateway.Tripwires.trips;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.ConformanceProbe;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * CALLS_FROM_SCOPE (ADR 0045): a call to the rule's model from the rule's institution trips it, and the kill switch
 * it engages names exactly that institution and that model: the institution's researchers are refused that model,
 * and go on with others; other institutions go on with it. The replay judges the trip and the switch from the
 * calls' keyed scope tags (ADR 0046): the other institution's calls after the trip are out of its scope.
 */
@ExtendWith(RunningSuite.class)
class TripwireScopeTest {

    /** Another institution than the fixture's (PolicyFixture.ALICE_ROR), reported as its ROR URL. */
    private static final String ROR = "052gg0110";

    private static Tripwires.Researcher researcher(
            GatewayFixture gateway, Keycloak keycloak, List<String> models, String institution, String country) {
        String user = "tws-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = keycloak.newUser(user, List.of("researcher"));
        gateway.policy.approve(subject, 3, 3, institution, country);
        Response grant = gateway.policy.grant(subject, models, 1, 30);
        grant.then().statusCode(200);
        String grantId = grant.path("id");
        return new Tripwires.Researcher(gateway.key(user, grantId), grantId, subject);
    }

    private static Map<String, Object> scopeRule(String model, String value, boolean active) {
        Map<String, Object> rule = new HashMap<>(Map.of(
                "kind",
                "CALLS_FROM_SCOPE",
                "model",
                model,
                "scope",
                "INSTITUTION",
                "scopeValue",
                value,
                "windowSeconds",
                60,
                "minCalls",
                1));
        rule.put("active", active);
        return rule;
    }

    @Test
    void aCallFromTheRulesInstitutionStopsThatModelFromThereAndNothingElse(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        ConformanceProbe conformance = new ConformanceProbe(suite, keycloak);
        long first = conformance.size();
        String model = gateway.catalogModel(1);
        String other = gateway.catalogModel(1);
        Tripwires.Researcher there =
                researcher(gateway, keycloak, List.of(model, other), "https://ror.org/" + ROR, "GB");
        Tripwires.Researcher elsewhere =
                researcher(gateway, keycloak, List.of(model), PolicyFixture.ALICE_ROR, PolicyFixture.ALICE_COUNTRY);
        JsonNode rule = define(gateway, scopeRule(model, "https://ror.org/" + ROR, true));
        assertEquals(ROR, rule.path("scopeValue").asText(), "stored bare, as decisions name the institution");
        GatewayFixture.sleep(1_500);
        for (int i = 0; i < 3; i++) {
            gateway.chat(elsewhere.key(), model, 2).then().statusCode(200);
        }
        GatewayFixture.sleep(1_000);
        assertTrue(trips(gateway, rule).isEmpty(), "calls from another institution do not trip it");

        gateway.chat(there.key(), model, 2).then().statusCode(200);
        Response refused = null;
        for (int i = 0; i < 30 && refused == null; i++) {
            GatewayFixture.sleep(200);
            Response answer = gateway.chat(there.key(), model, 2);
            if (answer.statusCode() != 200) {
                refused = answer;
            }
        }
        assertNotNull(refused, "the institution's calls to the model were never stopped");
        assertOpenAiError(refused, 403, "kill_switch_engaged");
        JsonNode trip = awaitTrip(gateway, rule, Duration.ofSeconds(5));
        JsonNode figures = trip.path("figures");
        assertTrue(figures.path("callsFromScope").asLong() >= 1, figures.toString());
        assertTrue(
                figures.path("calls").asLong() >= figures.path("callsFromScope").asLong(), figures.toString());
        JsonNode engaged = killSwitch(gateway, trip.path("killSwitchId").asText());
        assertEquals("ENGAGED", engaged.path("state").asText());
        assertEquals("INSTITUTION", engaged.path("scope").asText(), engaged.toString());
        assertEquals(ROR, engaged.path("value").asText());
        assertEquals(model, engaged.path("model").asText(), "the switch names the rule's model");
        // Only that model from that institution.
        gateway.chat(elsewhere.key(), model, 2).then().statusCode(200);
        gateway.chat(there.key(), other, 2).then().statusCode(200);

        JsonNode leaf = gateway.ledgerEntry(awaitLeaf(gateway, rule, trip));
        assertEquals("tripwire.tripped", leaf.path("type").asText(), leaf.toString());
        assertEquals("CALLS_FROM_SCOPE", leaf.path("kind").asText());
        assertEquals(rule.path("version").asLong(), leaf.path("ruleVersion").asLong());
        assertEquals(figures, leaf.path("figures"), "the leaf names the window's figures");
        assertEquals(ROR, leaf.path("scope").path("institutions").get(0).asText(), leaf.toString());
        assertEquals(trip.path("killSwitchId").asText(), leaf.path("switchId").asText());
        JsonNode report = conformance.report(first, conformance.size());
        assertTrue(
                report.path("conforms").asBoolean(), report.path("violations").toString());
        // Every call in the trip's span carries scope tags under the suite's key, which the ledger's endpoint holds
        // (ADR 0046): the trip and its switch are judged (the other institution's calls are out of scope), and
        // nothing in the range is left unchecked.
        assertFalse(
                report.path("uncheckable").toString().contains(trip.path("id").asText()),
                "the scope trip is judged from the tags: " + report.path("uncheckable"));
        // Release is the ordinary dual control: one admin only asks.
        Tripwires.release(gateway, "paula", engaged.path("id").asText()).then().statusCode(200);
        assertEquals(
                "RELEASE_REQUESTED",
                killSwitch(gateway, engaged.path("id").asText()).path("state").asText());
        assertOpenAiError(gateway.chat(there.key(), model, 2), 403, "kill_switch_engaged");
        put(gateway, rule.path("id").asText(), scopeRule(model, ROR, false));
    }
}
