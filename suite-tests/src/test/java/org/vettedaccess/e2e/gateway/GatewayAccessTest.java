package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RoleMatrix;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/** Every gateway endpoint, called as every kind of caller: only researchers, and only on their own objects. */
@ExtendWith(RunningSuite.class)
class GatewayAccessTest {

    private static final Set<String> RESEARCHERS = Set.of("alice", "victor");
    private static final Set<String> SERVICE_ACCOUNTS =
            Set.of("sa:gateway", "sa:kyc-service", "sa:access-policy", "sa:usage-ledger");

    @Test
    void everyEndpointAdmitsExactlyItsRoles(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        RoleMatrix matrix = new RoleMatrix(keycloak);
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        String rotate = gateway.issueKey("alice", null).path("apiKey.id");
        String revoke = gateway.issueKey("alice", null).path("apiKey.id");
        Response call = gateway.chat(matrix.token("alice"), granted.model(), 2);
        call.then().statusCode(200);
        String requestId = call.header("x-request-id");
        Map<String, Object> chat = Map.of(
                "model", granted.model(),
                "max_tokens", 2,
                "messages", List.of(Map.of("role", "user", "content", "matrix")));

        matrix.check(
                gateway.url,
                List.of(
                        new RoleMatrix.Row("GET", "/api/v1/keys", null, RESEARCHERS),
                        new RoleMatrix.Row(
                                "POST", "/api/v1/keys/" + rotate + "/rotate", null, Set.of("alice"), Set.of("victor")),
                        new RoleMatrix.Row(
                                "POST", "/api/v1/keys/" + revoke + "/revoke", null, Set.of("alice"), Set.of("victor")),
                        new RoleMatrix.Row(
                                "GET", "/api/v1/usage/calls/" + requestId, null, Set.of("alice"), Set.of("victor")),
                        new RoleMatrix.Row("GET", "/api/v1/usage/daily", null, RESEARCHERS),
                        new RoleMatrix.Row("GET", "/api/v1/usage/grants", null, RESEARCHERS),
                        new RoleMatrix.Row(
                                "GET", "/api/v1/caller", null, Set.of("alice", "victor", "rita", "paula", "greg")),
                        new RoleMatrix.Row("GET", "/v1/models", null, RESEARCHERS),
                        // victor is a researcher without a grant: his call is a 403 like any other refusal.
                        new RoleMatrix.Row("POST", "/v1/chat/completions", chat, Set.of("alice"))),
                // No service account's token is addressed to the gateway.
                SERVICE_ACCOUNTS);

        // Making a key: researchers with a current grant; victor has none, which is a policy refusal, not a 403.
        for (String caller : RoleMatrix.CALLERS) {
            var request = given().contentType(ContentType.JSON).body(Map.of("name", "matrix"));
            if (matrix.token(caller) != null) {
                request = request.auth().oauth2(matrix.token(caller));
            }
            int status = request.post(gateway.url + "/api/v1/keys").statusCode();
            int expected = switch (caller) {
                case "alice" -> 201;
                case "victor" -> 422;
                case RoleMatrix.ANONYMOUS -> 401;
                default -> SERVICE_ACCOUNTS.contains(caller) ? 401 : 403;
            };
            assertEquals(expected, status, "POST /api/v1/keys as " + caller);
        }
    }
}
