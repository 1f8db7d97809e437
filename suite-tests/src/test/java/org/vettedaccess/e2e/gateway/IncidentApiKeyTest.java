package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Filing a report with an API key over the OpenAI-compatible API ({@code POST /v1/incidents}, issue 21): the key's
 * researcher attaches their own receipts, and another researcher's key cannot attach them; errors are the OpenAI
 * envelope.
 */
@ExtendWith(RunningSuite.class)
class IncidentApiKeyTest {

    private static final String TEXT = "Asked in leetspeak, the model explains how to disable its own safety filter.";

    record Researcher(String user, String key) {}

    @Test
    void aKeyFilesWithItsOwnReceiptsAndAnotherResearchersKeyCannotAttachThem(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        String model = gateway.catalogModel(1);
        Researcher a = researcher(gateway, keycloak, model);
        Researcher b = researcher(gateway, keycloak, model);
        List<String> calls = new ArrayList<>();
        List<Long> leaves = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Response call = gateway.chat(a.key(), model, 4);
            call.then().statusCode(200);
            calls.add(call.header("x-request-id"));
            leaves.add(gateway.deliveredReceipt(a.user(), calls.get(i))
                    .path("ledgerIndex")
                    .asLong());
        }

        // B, an approved researcher with a key of their own, attaches A's real calls: refused, nothing filed.
        Response stolen = file(gateway, b.key(), model, calls);
        assertOpenAiError(stolen, 400, "invalid_request");
        assertTrue(stolen.asString().contains("'receipts[0]' is not a call of yours"), stolen.asString());
        Response slipped =
                file(gateway, b.key(), model, List.of(UUID.randomUUID().toString(), calls.get(1)));
        assertOpenAiError(slipped, 400, "invalid_request");
        assertTrue(slipped.asString().contains("'receipts[0]' is not a call of yours"), slipped.asString());
        assertEquals(0, mine(gateway, b.user()).size(), "B filed nothing");
        assertEquals(0, mine(gateway, a.user()).size(), "nothing was filed in A's name either");

        // No credential, a bad key, a body that is not a report: the OpenAI envelope, never a 500.
        Response anonymous =
                given().contentType(ContentType.JSON).body(report(model, calls)).post(gateway.url + "/v1/incidents");
        assertOpenAiError(anonymous, 401, "invalid_api_key");
        assertOpenAiError(file(gateway, "va-not-a-key", model, calls), 401, "invalid_api_key");
        Response garbled = given().auth()
                .oauth2(a.key())
                .contentType(ContentType.JSON)
                .body("{\"model\":")
                .post(gateway.url + "/v1/incidents");
        assertOpenAiError(garbled, 400, "invalid_json");

        // A's own key files with A's two receipts: the report names their leaves and is itself a leaf.
        Response filed = file(gateway, a.key(), model, calls);
        assertEquals(201, filed.statusCode(), filed.asString());
        JsonNode report = GatewayFixture.read(filed.asString());
        assertEquals("REPORTED", report.path("status").asText());
        assertEquals(
                leaves.get(0).longValue(),
                report.path("receipts").get(0).path("leafIndex").asLong());
        assertEquals(
                leaves.get(1).longValue(),
                report.path("receipts").get(1).path("leafIndex").asLong());
        JsonNode leaf = gateway.ledgerEntry(report.path("reportedLeaf").asLong());
        assertEquals("incident.reported", leaf.path("type").asText(), leaf.toString());
        assertEquals(report.path("id").asText(), leaf.path("reportId").asText());
        JsonNode listed = mine(gateway, a.user());
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(report.path("id").asText(), listed.get(0).path("id").asText());
    }

    private static Researcher researcher(GatewayFixture gateway, Keycloak keycloak, String model) {
        String user = "ik-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = keycloak.newUser(user, List.of("researcher"));
        gateway.policy.approve(subject, 3, 3);
        Response grant = gateway.policy.grant(subject, List.of(model), 1, 30);
        grant.then().statusCode(200);
        return new Researcher(user, gateway.key(user, grant.path("id")));
    }

    private static Map<String, Object> report(String model, List<String> receipts) {
        return Map.of(
                "model", model,
                "category", "SAFEGUARD_BYPASS",
                "severity", "HIGH",
                "description", TEXT,
                "receipts", receipts);
    }

    private static Response file(GatewayFixture gateway, String key, String model, List<String> receipts) {
        return given().auth()
                .oauth2(key)
                .contentType(ContentType.JSON)
                .body(report(model, receipts))
                .post(gateway.url + "/v1/incidents");
    }

    private static JsonNode mine(GatewayFixture gateway, String user) {
        Response mine = given().auth().oauth2(gateway.token(user)).get(gateway.policy.url + "/api/v1/incidents/mine");
        mine.then().statusCode(200);
        return GatewayFixture.read(mine.asString());
    }
}
