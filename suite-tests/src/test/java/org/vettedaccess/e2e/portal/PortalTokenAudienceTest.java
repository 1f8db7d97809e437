package org.vettedaccess.e2e.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RecordingProxy;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * The portal calls each service as the signed-in user with a token for that service alone (Keycloak token
 * exchange, docs/adr/0070): a gateway replica reaches kyc-service, access-policy and the usage-ledger through
 * recording forwarders, so the test holds exactly what each service received — as a compromised service would —
 * and replays it to the other services, which refuse it.
 */
@ExtendWith(RunningSuite.class)
class PortalTokenAudienceTest {

    @Test
    void eachServiceReceivesATokenForItselfAloneThatNoOtherServiceAccepts(LocalSuite suite) throws Exception {
        Map<String, RecordingProxy> proxies = new LinkedHashMap<>();
        for (String service : List.of("kyc-service", "access-policy", "usage-ledger")) {
            proxies.put(service, RecordingProxy.to(suite.serviceUrl(service)));
        }
        int http = freePort();
        String replica = "http://localhost:" + http;
        try {
            // Only the portal's clients go through the forwarders; the replica's service-account calls do not.
            suite.startGatewayReplica(
                    "gateway-audience",
                    http,
                    freePort(),
                    Map.of(
                            "QUARKUS_REST_CLIENT_KYC_PORTAL_URL",
                                    proxies.get("kyc-service").url(),
                            "QUARKUS_REST_CLIENT_POLICY_PORTAL_URL",
                                    proxies.get("access-policy").url(),
                            "QUARKUS_REST_CLIENT_LEDGER_PORTAL_URL",
                                    proxies.get("usage-ledger").url()));
            try (Browser alice = Browser.open().signIn(replica, "alice")) {
                alice.find("main"); // her applications, from kyc-service
                alice.go(replica + "/portal/grants"); // her grants, from access-policy
                alice.find("main");
            }
            try (Browser greg = Browser.open().signIn(replica, "greg")) {
                greg.go(replica + "/portal/regulator"); // the log, from the usage-ledger
                greg.find("main");
            }
        } finally {
            suite.stop("gateway-audience");
            proxies.values().forEach(RecordingProxy::close);
        }

        for (Map.Entry<String, RecordingProxy> entry : proxies.entrySet()) {
            String service = entry.getKey();
            List<String> received = entry.getValue().bearerTokens();
            assertFalse(received.isEmpty(), "the portal called " + service);
            for (String token : received) {
                JsonNode claims = Jwts.payload(token);
                assertEquals("portal", claims.path("azp").asText(), "a user token through the portal");
                assertEquals(List.of(service), audiences(claims), service + " received a token for itself alone");
                // The captured token, replayed: its own service takes it, every other service refuses it.
                for (String other : Keycloak.SERVICES) {
                    int status = given().auth()
                            .oauth2(token)
                            .get(suite.serviceUrl(other) + "/api/v1/caller")
                            .statusCode();
                    assertEquals(
                            other.equals(service) ? 200 : 401,
                            status,
                            "a token " + service + " received, replayed to " + other);
                }
            }
        }
    }

    private static List<String> audiences(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        List<String> audiences = new ArrayList<>();
        if (aud.isArray()) {
            aud.forEach(value -> audiences.add(value.asText()));
        } else if (aud.isTextual()) {
            audiences.add(aud.asText());
        }
        return audiences;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
