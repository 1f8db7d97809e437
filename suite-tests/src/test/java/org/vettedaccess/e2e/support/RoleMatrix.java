package org.vettedaccess.e2e.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calls every endpoint of a service as every kind of caller and checks the outcome: an allowed caller gets a
 * 2xx; a caller without a token, or with a token not addressed to the service, gets 401; any other caller 403
 * (or 404 where the endpoint hides someone else's object). Rows run in order, so a row may rely on an earlier.
 */
public final class RoleMatrix {

    public static final String ANONYMOUS = "anonymous";
    /** People (demo users) and service accounts ("sa:" + client id). */
    public static final List<String> CALLERS = List.of(
            ANONYMOUS,
            "alice",
            "victor",
            "rita",
            "paula",
            "greg",
            "mona",
            "sa:gateway",
            "sa:kyc-service",
            "sa:access-policy",
            "sa:usage-ledger");

    /**
     * One request and the callers allowed to make it; {@code hidden} callers may also get 404. {@code notCalled}
     * are allowed callers left out because the call would destroy fixtures other tests need (e.g. alice erasing
     * her own data); another allowed caller with the same role must prove the row.
     */
    public record Row(
            String method, String path, Object body, Set<String> allowed, Set<String> hidden, Set<String> notCalled) {
        public Row(String method, String path, Object body, Set<String> allowed) {
            this(method, path, body, allowed, Set.of(), Set.of());
        }

        public Row(String method, String path, Object body, Set<String> allowed, Set<String> hidden) {
            this(method, path, body, allowed, hidden, Set.of());
        }
    }

    private final Map<String, String> tokens = new LinkedHashMap<>();

    public RoleMatrix(Keycloak keycloak) {
        for (String caller : CALLERS) {
            if (caller.startsWith("sa:")) {
                String client = caller.substring(3);
                tokens.put(caller, keycloak.clientToken(client, client + "-demo-secret"));
            } else if (!caller.equals(ANONYMOUS)) {
                tokens.put(caller, keycloak.userToken(caller));
            }
        }
    }

    public String token(String caller) {
        return tokens.get(caller);
    }

    /**
     * Runs the rows against {@code baseUrl}.
     *
     * @param unaddressed callers whose tokens are not addressed to this service (they get 401 like anonymous)
     */
    public void check(String baseUrl, List<Row> rows, Set<String> unaddressed) {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            List<String> order = new ArrayList<>(CALLERS);
            // Denied callers first, so that an allowed caller's change cannot make a later denial meaningless.
            order.sort((a, b) ->
                    Boolean.compare(row.allowed().contains(a), row.allowed().contains(b)));
            for (String caller : order) {
                if (row.notCalled().contains(caller)) {
                    continue;
                }
                int status = call(baseUrl, row, tokens.get(caller)).statusCode();
                boolean ok = row.allowed().contains(caller)
                        ? status >= 200 && status < 300
                        : status == (caller.equals(ANONYMOUS) || unaddressed.contains(caller) ? 401 : 403)
                                || (row.hidden().contains(caller) && status == 404);
                if (!ok) {
                    wrong.add(row.method() + " " + row.path() + " as " + caller + " -> " + status);
                }
            }
        }
        assertTrue(wrong.isEmpty(), "unexpected outcomes:\n" + String.join("\n", wrong));
    }

    private static Response call(String baseUrl, Row row, String token) {
        RequestSpecification request = given();
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        if (row.body() != null) {
            request = request.contentType(ContentType.JSON).body(row.body());
        }
        return switch (row.method()) {
            case "POST" -> request.post(baseUrl + row.path());
            case "PUT" -> request.put(baseUrl + row.path());
            case "DELETE" -> request.delete(baseUrl + row.path());
            default -> request.get(baseUrl + row.path());
        };
    }
}
