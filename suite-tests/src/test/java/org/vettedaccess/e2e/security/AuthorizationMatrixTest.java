package org.vettedaccess.e2e.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RoleMatrix;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * The authorisation matrix of the whole suite, generated from each service's OpenAPI so that a new endpoint
 * cannot be forgotten: every operation a service describes must have a row in
 * {@code src/test/resources/authorization-matrix.tsv}, and is then called as every kind of caller (anonymous,
 * researcher A, researcher B on A's objects, reviewer, policy admin, regulator, monitor, each service account). An allowed
 * caller must get through authorisation (no 401 or 403); any other caller must be refused (401 without a token
 * addressed to the service, 403 otherwise, or 404 for another researcher's object); nobody may get a 5xx.
 */
@ExtendWith(RunningSuite.class)
class AuthorizationMatrixTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");
    private static final RestAssuredConfig NO_REDIRECTS =
            RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false));

    /** Which callers hold which realm role (the demo users) and which client roles (the service accounts). */
    private static final Map<String, Set<String>> MEMBERS = Map.of(
            "researcher", Set.of("alice", "victor"),
            "kyc-reviewer", Set.of("rita"),
            "policy-admin", Set.of("paula"),
            "regulator", Set.of("greg"),
            "incident-triager", Set.of("paula"),
            "monitor", Set.of("mona"),
            "person", Set.of("alice", "victor", "rita", "paula", "greg"),
            "anyone", Set.copyOf(RoleMatrix.CALLERS));

    /** Tokens addressed to each service (the others get 401 there, like anonymous). */
    private static final Map<String, Set<String>> ADDRESSED = Map.of(
            "gateway", Set.of("alice", "victor", "rita", "paula", "greg", "mona"),
            "kyc-service", Set.of("alice", "victor", "rita", "paula", "greg", "mona", "sa:gateway", "sa:access-policy"),
            "access-policy", Set.of("alice", "victor", "rita", "paula", "greg", "mona", "sa:gateway", "sa:kyc-service"),
            "usage-ledger",
                    Set.of(
                            "alice",
                            "victor",
                            "rita",
                            "paula",
                            "greg",
                            "mona",
                            "sa:gateway",
                            "sa:kyc-service",
                            "sa:access-policy"));

    /** One declared row: who may call an operation, and what stands in for its path parameters. */
    record Row(String service, String method, String path, Set<String> allowed, boolean own, Set<String> skip) {

        String key() {
            return service + " " + method + " " + path;
        }
    }

    @Test
    void everyOperationOfEveryServiceAdmitsExactlyTheDeclaredCallers(LocalSuite suite, Keycloak keycloak)
            throws IOException {
        Map<String, Row> declared = declared();
        RoleMatrix matrix = new RoleMatrix(keycloak);
        Map<String, String> objects = alicesObjects(suite, matrix);

        List<String> undeclared = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        Set<String> described = new TreeSet<>();
        int calls = 0;
        for (String service : Keycloak.SERVICES) {
            JsonNode paths = JSON.readTree(given().get(suite.serviceUrl(service) + "/q/openapi?format=json")
                            .asString())
                    .path("paths");
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                    String method = methods.next();
                    if (!METHODS.contains(method)) {
                        continue;
                    }
                    String key = service + " " + method.toUpperCase() + " " + path.getKey();
                    described.add(key);
                    Row row = declared.get(key);
                    if (row == null) {
                        undeclared.add(key);
                        continue;
                    }
                    String url = suite.serviceUrl(service) + fill(path.getKey(), service, objects);
                    for (String caller : RoleMatrix.CALLERS) {
                        if (row.skip().contains(caller)) {
                            continue;
                        }
                        int status = call(row.method(), url, matrix.token(caller));
                        calls++;
                        String outcome = judge(row, caller, status);
                        if (outcome != null) {
                            wrong.add(key + " as " + caller + " -> " + status + " (" + outcome + ")");
                        }
                    }
                }
            }
        }
        List<String> stale =
                declared.keySet().stream().filter(k -> !described.contains(k)).toList();
        assertTrue(
                undeclared.isEmpty(),
                "operations with no row in authorization-matrix.tsv:\n" + String.join("\n", undeclared));
        assertTrue(stale.isEmpty(), "rows for operations no service describes:\n" + String.join("\n", stale));
        assertTrue(wrong.isEmpty(), "unexpected outcomes in " + calls + " calls:\n" + String.join("\n", wrong));
        assertTrue(calls > 500, "the matrix made only " + calls + " calls");
    }

    /** Null if the status is what the row expects of this caller; else what was expected. */
    private static String judge(Row row, String caller, int status) {
        if (status >= 500) {
            return "a server error";
        }
        if (row.allowed().contains("session")) {
            // The portal: bearer tokens do not open it; without a browser session it sends to Keycloak.
            return status == 302 ? null : "a redirect to sign in";
        }
        boolean addressed =
                row.allowed().contains("anyone") || ADDRESSED.get(row.service()).contains(caller);
        boolean allowed = row.allowed().stream()
                .anyMatch(who -> who.equals(caller)
                        || MEMBERS.getOrDefault(who, Set.of()).contains(caller));
        if (allowed && row.own() && caller.equals("victor")) {
            return status == 403 || status == 404 ? null : "403 or 404: researcher B on researcher A's object";
        }
        if (allowed) {
            return status == 401 || status == 403 ? "to pass authorisation" : null;
        }
        if (caller.equals(RoleMatrix.ANONYMOUS) || !addressed) {
            return status == 401 ? null : "401";
        }
        return status == 403 ? null : "403";
    }

    private static int call(String method, String url, String token) {
        RequestSpecification request = given().config(NO_REDIRECTS);
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            request = request.contentType(ContentType.JSON).body("{}");
        }
        Response response = request.request(method, url);
        return response.statusCode();
    }

    /** Path parameters: researcher A's own objects where a row says so, harmless values elsewhere. */
    private static String fill(String template, String service, Map<String, String> objects) {
        String path = template;
        for (Map.Entry<String, String> object : objects.entrySet()) {
            String[] scope = object.getKey().split(" ", 2);
            if (scope[0].equals(service) && template.startsWith(scope[1])) {
                path = path.replaceFirst("\\{[^}/]+}", object.getValue());
            }
        }
        return path.replaceAll("\\{index}", "0")
                .replaceAll("\\{tier}", "1")
                .replaceAll("\\{subject}", "no-such-subject")
                .replaceAll("\\{action}", "noop")
                .replaceAll("\\{[^}/]+}", UUID.randomUUID().toString());
    }

    /** alice's own objects, so that victor can be tried on them. */
    private static Map<String, String> alicesObjects(LocalSuite suite, RoleMatrix matrix) {
        Map<String, String> objects = new LinkedHashMap<>();
        String alice = matrix.token("alice");
        String application = given().auth()
                .oauth2(alice)
                .contentType(ContentType.JSON)
                .body(Map.of("legalName", "Alice Matrix"))
                .post(suite.serviceUrl("kyc-service") + "/api/v1/applications")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        objects.put("kyc-service /api/v1/applications/{id}", application);
        return objects;
    }

    private static Map<String, Row> declared() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (InputStream in = AuthorizationMatrixTest.class.getResourceAsStream("/authorization-matrix.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.lines().toList()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\t+");
                Set<String> allowed = Set.of(cells[3].split(","));
                boolean own = cells.length > 4 && cells[4].contains("own");
                Set<String> skip = cells.length > 4 && cells[4].startsWith("skip=")
                        ? Set.of(cells[4].substring(5).split(","))
                        : Set.of();
                Row row = new Row(cells[0], cells[1], cells[2], allowed, own, skip);
                rows.put(row.key(), row);
            }
        }
        return rows;
    }
}
