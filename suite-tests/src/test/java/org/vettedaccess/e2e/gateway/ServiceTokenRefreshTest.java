package org.vettedaccess.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RecordingProxy;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/**
 * A service sends its service-account token while it still has time to live. Quarkus's OIDC client counts a token
 * as expired only once its {@code exp} second has passed, so without an early refresh a call made in that second
 * reached the usage-ledger expired: a 401, which the caller's breaker took for an outage, refusing permissive
 * changes for its delay. The services refresh 30 s early ({@code quarkus.oidc-client.refresh-token-time-skew}).
 */
@ExtendWith(RunningSuite.class)
class ServiceTokenRefreshTest {

    /** Shorter than the realm's 300 s, so that the test sees a token reach its end. */
    private static final int LIFESPAN_SECONDS = 40;

    @Test
    void theGatewayNeverSendsATokenInItsLastSeconds(LocalSuite suite, Keycloak keycloak) throws Exception {
        String before =
                keycloak.setClientAttribute("gateway", "access.token.lifespan", String.valueOf(LIFESPAN_SECONDS));
        RecordingProxy ledger = RecordingProxy.to(suite.serviceUrl("usage-ledger"));
        try {
            // A gateway replica whose ledger probe (an authenticated read every 250 ms) goes through the forwarder.
            suite.startGatewayReplica(
                    "gateway-token-refresh",
                    SuitePorts.freePort(),
                    SuitePorts.freePort(),
                    Map.of("QUARKUS_REST_CLIENT_LEDGER_PROBE_URL", ledger.url()));
            Thread.sleep(Duration.ofSeconds(LIFESPAN_SECONDS + 15));
        } finally {
            suite.stop("gateway-token-refresh");
            ledger.close();
            keycloak.setClientAttribute("gateway", "access.token.lifespan", before == null ? "300" : before);
        }

        List<RecordingProxy.Seen> seen = ledger.seen();
        assertTrue(seen.size() > 100, "the probe went through the forwarder: " + seen.size() + " requests");
        long tokens =
                seen.stream().map(RecordingProxy.Seen::authorization).distinct().count();
        assertTrue(tokens >= 2, "a token was replaced while the test watched: " + tokens + " tokens");
        long leastLeft = Long.MAX_VALUE;
        Instant worst = null;
        for (RecordingProxy.Seen request : seen) {
            long expiresAt = Jwts.payload(request.authorization().substring("Bearer ".length()))
                    .path("exp")
                    .asLong();
            long left = expiresAt - request.at().getEpochSecond();
            if (left < leastLeft) {
                leastLeft = left;
                worst = request.at();
            }
        }
        // Refreshed 30 s before the end; 20 s leaves room for a slow refresh on a loaded machine.
        assertTrue(leastLeft >= 20, "a token was sent at " + worst + " with " + leastLeft + " s left");
    }
}
