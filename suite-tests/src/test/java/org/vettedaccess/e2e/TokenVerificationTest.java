package org.vettedaccess.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.vettedaccess.e2e.support.Problems.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Keycloak.ProbeClient;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Every service verifies tokens itself, against the real Keycloak: it accepts a valid token for an allowed
 * role, and rejects anything else with 401 or 403 and a problem+json body.
 */
@ExtendWith(RunningSuite.class)
class TokenVerificationTest {

    private static final String CALLER = "/api/v1/caller";
    private static final Map<String, String> DEMO_USERS = Map.of(
            "alice", "researcher",
            "victor", "researcher",
            "rita", "kyc-reviewer",
            "ravi", "kyc-reviewer",
            "paula", "policy-admin",
            "greg", "regulator");

    static Stream<String> services() {
        return Keycloak.SERVICES.stream();
    }

    private static Response call(LocalSuite suite, String service, String token) {
        return given().auth().oauth2(token).get(suite.serviceUrl(service) + CALLER);
    }

    @ParameterizedTest
    @MethodSource("services")
    void acceptsEveryDemoUserWithTheirRole(String service, LocalSuite suite, Keycloak keycloak) {
        DEMO_USERS.forEach((username, role) -> {
            String token = keycloak.userToken(username);
            call(suite, service, token)
                    .then()
                    .statusCode(200)
                    .body("service", equalTo(service))
                    .body("username", equalTo(username))
                    .body("subject", equalTo(Jwts.payload(token).get("sub").asText()))
                    .body("roles", hasItem(role))
                    .body("audience", hasItem(service));
        });
    }

    @ParameterizedTest
    @MethodSource("services")
    void rejectsARequestWithoutAToken(String service, LocalSuite suite) {
        Response response = given().get(suite.serviceUrl(service) + CALLER);
        assertProblem(response, 401, "unauthenticated");
        response.then().header("WWW-Authenticate", startsWith("Bearer"));
    }

    @ParameterizedTest
    @MethodSource("services")
    void rejectsForgedTokens(String service, LocalSuite suite, Keycloak keycloak) {
        String genuine = keycloak.userToken("alice");
        call(suite, service, genuine).then().statusCode(200);

        assertProblem(call(suite, service, Jwts.withTamperedSignature(genuine)), 401, "invalid-token");
        assertProblem(call(suite, service, Jwts.withTamperedPayload(genuine, "policy-admin")), 401, "invalid-token");
        assertProblem(call(suite, service, Jwts.withAlgNone(genuine)), 401, "invalid-token");
    }

    @Test
    void rejectsATokenForAnotherAudience(LocalSuite suite, Keycloak keycloak) {
        ProbeClient ledgerOnly = keycloak.probeClient(List.of("usage-ledger"), "researcher", 300);
        ProbeClient gatewayOnly = keycloak.probeClient(List.of("gateway"), "researcher", 300);
        String forLedger = keycloak.clientToken(ledgerOnly.clientId(), ledgerOnly.secret());
        String forGateway = keycloak.clientToken(gatewayOnly.clientId(), gatewayOnly.secret());

        // Each token is good where it is addressed, so the rejections below are about the audience alone.
        call(suite, "usage-ledger", forLedger).then().statusCode(200);
        call(suite, "gateway", forGateway).then().statusCode(200);
        for (String service : List.of("gateway", "kyc-service", "access-policy")) {
            assertProblem(call(suite, service, forLedger), 401, "invalid-token");
        }
        assertProblem(call(suite, "usage-ledger", forGateway), 401, "invalid-token");
    }

    @Test
    void rejectsAnExpiredToken(LocalSuite suite, Keycloak keycloak) throws InterruptedException {
        ProbeClient shortLived = keycloak.probeClient(Keycloak.SERVICES, "researcher", 5);
        String token = keycloak.clientToken(shortLived.clientId(), shortLived.secret());
        for (String service : Keycloak.SERVICES) {
            call(suite, service, token).then().statusCode(200);
        }

        Instant expiry = Instant.ofEpochSecond(Jwts.payload(token).get("exp").asLong());
        Duration untilExpired = Duration.between(Instant.now(), expiry).plusSeconds(2);
        assertFalse(untilExpired.toSeconds() > 10, "the probe token should live 5 s, not " + untilExpired);
        Thread.sleep(Math.max(0, untilExpired.toMillis()));

        for (String service : Keycloak.SERVICES) {
            assertProblem(call(suite, service, token), 401, "invalid-token");
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void forbidsAValidTokenWithoutAnAllowedRole(String service, LocalSuite suite, Keycloak keycloak) {
        ProbeClient noRole = keycloak.probeClient(List.of(service), null, 300);
        String token = keycloak.clientToken(noRole.clientId(), noRole.secret());
        assertProblem(call(suite, service, token), 403, "forbidden");
    }

    @Test
    void serviceAccountTokensAreAddressedExactlyToTheCallees(Keycloak keycloak) {
        // The contract in docs/architecture.md: who may call whom.
        Map<String, Set<String>> callees = Map.of(
                // realm-management is Keycloak's own admin API: the gateway's owner watch reads users and admin
                // events there (view-users, view-events; nothing that changes the realm).
                "gateway", Set.of("access-policy", "usage-ledger", "kyc-service", "realm-management"),
                "kyc-service", Set.of("usage-ledger", "access-policy"),
                "access-policy", Set.of("usage-ledger", "kyc-service"),
                "usage-ledger", Set.of());
        callees.forEach((service, expected) -> {
            JsonNode aud = Jwts.payload(keycloak.clientToken(service, service + "-demo-secret"))
                    .path("aud");
            Set<String> audience = new TreeSet<>();
            if (aud.isTextual()) {
                audience.add(aud.asText());
            }
            aud.forEach(value -> audience.add(value.asText()));
            assertEquals(new TreeSet<>(expected), audience, service + "'s service-account token audience");
        });
    }
}
