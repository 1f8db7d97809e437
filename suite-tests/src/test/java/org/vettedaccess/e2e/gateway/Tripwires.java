package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vettedaccess.e2e.support.Keycloak;

/** What the tripwire tests share: researchers of their own, rules, trips, kill switches and the simulator's faults. */
final class Tripwires {

    private Tripwires() {}

    record Researcher(String key, String grantId, String subject) {}

    static Researcher researcher(GatewayFixture gateway, Keycloak keycloak, String model) {
        String user = "tw-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = keycloak.newUser(user, List.of("researcher"));
        gateway.policy.approve(subject, 3, 3);
        Response grant = gateway.policy.grant(subject, List.of(model), 1, 30);
        grant.then().statusCode(200);
        String grantId = grant.path("id");
        return new Researcher(gateway.key(user, grantId), grantId, subject);
    }

    static String researcherKey(GatewayFixture gateway, Keycloak keycloak, String model) {
        return researcher(gateway, keycloak, model).key();
    }

    /** The refusal-rate rule these tests use: half of at least 8 calls in 20 s refused or filtered. */
    static Map<String, Object> refusalRule(String model, boolean active) {
        return rateRule("REFUSAL_RATE", model, active);
    }

    /** A rate rule ({@code REFUSAL_RATE}, {@code ERROR_RATE}): half of at least 8 calls in 20 s. */
    static Map<String, Object> rateRule(String kind, String model, boolean active) {
        return Map.of(
                "kind",
                kind,
                "model",
                model,
                "windowSeconds",
                20,
                "thresholdPercent",
                50,
                "minCalls",
                8,
                "active",
                active);
    }

    /** A trip report for {@code rule}, as the gateway's service account makes it, with {@code credential}. */
    static Response reportTrip(GatewayFixture gateway, String credential, JsonNode rule, Object report) {
        return given().auth()
                .oauth2(credential)
                .contentType(ContentType.JSON)
                .body(report)
                .post(gateway.policy.url + "/api/v1/tripwires/"
                        + rule.path("id").asText() + "/trips");
    }

    static JsonNode define(GatewayFixture gateway, Map<String, Object> rule) {
        Response defined = given().auth()
                .oauth2(gateway.policy.admin())
                .contentType(ContentType.JSON)
                .body(rule)
                .post(gateway.policy.url + "/api/v1/tripwires");
        defined.then().statusCode(200);
        return GatewayFixture.read(defined.asString());
    }

    static JsonNode put(GatewayFixture gateway, String id, Map<String, Object> rule) {
        Response put = given().auth()
                .oauth2(gateway.policy.admin())
                .contentType(ContentType.JSON)
                .body(rule)
                .put(gateway.policy.url + "/api/v1/tripwires/" + id);
        put.then().statusCode(200);
        return GatewayFixture.read(put.asString());
    }

    static List<JsonNode> trips(GatewayFixture gateway, JsonNode rule) {
        Response trips =
                given().auth().oauth2(gateway.policy.admin()).get(gateway.policy.url + "/api/v1/tripwires/trips");
        trips.then().statusCode(200);
        List<JsonNode> ofRule = new ArrayList<>();
        GatewayFixture.read(trips.asString()).forEach(t -> {
            if (t.path("ruleId").asText().equals(rule.path("id").asText())) {
                ofRule.add(t);
            }
        });
        return ofRule;
    }

    static JsonNode awaitTrip(GatewayFixture gateway, JsonNode rule, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> trips = trips(gateway, rule);
            if (!trips.isEmpty()) {
                return trips.get(0);
            }
            GatewayFixture.sleep(100);
        }
        fail("the rule did not trip within " + within);
        return null;
    }

    /** The trip's leaf index, once the outbox has delivered it. */
    static long awaitLeaf(GatewayFixture gateway, JsonNode rule, JsonNode trip) {
        for (int i = 0; i < 100; i++) {
            for (JsonNode t : trips(gateway, rule)) {
                if (t.path("id").equals(trip.path("id")) && t.path("leafIndex").isNumber()) {
                    return t.path("leafIndex").asLong();
                }
            }
            GatewayFixture.sleep(100);
        }
        fail("the trip's leaf was not delivered within 10 s");
        return -1;
    }

    static JsonNode killSwitch(GatewayFixture gateway, String id) {
        for (JsonNode s : GatewayFixture.read(given().auth()
                .oauth2(gateway.policy.admin())
                .get(gateway.policy.url + "/api/v1/killswitches")
                .asString())) {
            if (s.path("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no kill switch " + id);
    }

    static Response release(GatewayFixture gateway, String admin, String id) {
        return given().auth()
                .oauth2(gateway.token(admin))
                .post(gateway.policy.url + "/api/v1/killswitches/" + id + "/release");
    }

    static void simFault(GatewayFixture gateway, String mode, String model) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("mode", mode, "count", -1));
        if (model != null) {
            body.put("model", model);
        }
        given().contentType(ContentType.JSON)
                .body(body)
                .post(gateway.upstreamUrl + "/sim/faults")
                .then()
                .statusCode(200);
    }
}
