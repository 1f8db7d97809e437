package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/**
 * The per-client limit on failed authentications (issue 18): a client that sends more random API keys than the
 * limit within the window gets 429 with {@code Retry-After} before any lookup, while a valid key in use keeps
 * working. The suite's own gateway has a very high limit (every test calls from 127.0.0.1), so this starts a
 * replica with a limit of 10.
 */
@ExtendWith(RunningSuite.class)
class FailedAuthLimitTest {

    private static final int LIMIT = 10;

    @Test
    void aClientSendingUnknownKeysIsRefusedAfterTheLimitAndAValidKeyInUseStillWorks(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture fixture = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = fixture.grant("alice", 1);
        String key = fixture.key("alice", granted.grantId());
        int http = SuitePorts.freePort();
        int management = SuitePorts.freePort();
        suite.startGatewayReplica(
                "gateway-auth", http, management, Map.of("GATEWAY_FAILED_AUTH_LIMIT", String.valueOf(LIMIT)));
        try {
            String gateway = "http://localhost:" + http;
            // The valid key, in use on this replica before the flood.
            models(gateway, key).then().statusCode(200);
            for (int i = 0; i < LIMIT; i++) {
                models(gateway, randomKey()).then().statusCode(401);
            }
            Response refused = models(gateway, randomKey());
            assertEquals(429, refused.statusCode(), refused.asString());
            assertEquals("too_many_failed_authentications", refused.path("error.code"));
            assertNotNull(refused.header("retry-after-ms"), "retry-after-ms for the OpenAI SDKs");
            assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1, "Retry-After in whole seconds");
            // The same unknown key again is refused by the limit too, not looked up.
            models(gateway, randomKey()).then().statusCode(429);
            // The key in use is not locked out by the flood from its address.
            models(gateway, key).then().statusCode(200);
            GatewayFixture.chat(gateway, key, granted.model(), 4).then().statusCode(200);
            // Another replica keeps its own count: the suite's gateway still answers 401, not 429.
            models(fixture.url, randomKey()).then().statusCode(401);
        } finally {
            suite.stop("gateway-auth");
        }
    }

    private static Response models(String gateway, String key) {
        return given().auth().oauth2(key).get(gateway + "/v1/models");
    }

    private static String randomKey() {
        return "va-" + UUID.randomUUID().toString().replace("-", "")
                + UUID.randomUUID().toString().replace("-", "");
    }
}
