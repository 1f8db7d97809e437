package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * A triager's manual "mitigated by a kill switch" names a real kill switch (issue 21): free text or an id that is
 * no switch is refused, and the mitigated leaf names the switch as the one-click answer's does.
 */
@ExtendWith(RunningSuite.class)
class IncidentMitigationTest {

    @Test
    void aKillSwitchMitigationMustNameARealKillSwitch(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        // A model of its own: the switch engaged below stops nobody else's calls.
        String model = gateway.catalogModel(1);
        Response filed = IncidentReportTest.file(gateway, "alice", model, "SAFEGUARD_BYPASS", "HIGH", List.of());
        assertEquals(201, filed.statusCode(), filed.asString());
        String id = filed.path("id");

        Response text = mitigate(gateway, id, "we engaged the switch on the model");
        assertEquals(400, text.statusCode(), text.asString());
        assertTrue(text.asString().contains("'change' must be the id of the kill switch"), text.asString());
        Response unknown = mitigate(gateway, id, UUID.randomUUID().toString());
        assertEquals(400, unknown.statusCode(), unknown.asString());
        assertTrue(unknown.asString().contains("names no kill switch"), unknown.asString());

        Response engaged = given().auth()
                .oauth2(gateway.policy.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("scope", "MODEL", "value", model, "reason", "e2e: mitigates report " + id))
                .post(gateway.policy.url + "/api/v1/killswitches");
        assertEquals(200, engaged.statusCode(), engaged.asString());
        String switchId = engaged.path("id");
        Response mitigated = mitigate(gateway, id, switchId);
        assertEquals(200, mitigated.statusCode(), mitigated.asString());
        JsonNode history = GatewayFixture.read(mitigated.asString()).path("history");
        JsonNode last = history.get(history.size() - 1);
        assertEquals("MITIGATED", last.path("status").asText());
        assertEquals(switchId, last.path("switchId").asText(), last.toString());
        JsonNode leaf = gateway.ledgerEntry(last.path("leafIndex").asLong());
        assertEquals("incident.mitigated", leaf.path("type").asText(), leaf.toString());
        assertEquals(switchId, leaf.path("switchId").asText(), leaf.toString());
        assertEquals("kill switch " + switchId, leaf.path("change").asText());
    }

    private static Response mitigate(GatewayFixture gateway, String id, String change) {
        return given().auth()
                .oauth2(gateway.policy.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("mitigation", "KILL_SWITCH", "change", change))
                .post(gateway.policy.url + "/api/v1/incidents/" + id + "/mitigate");
    }
}
