package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;

import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * A tier that fails closed stops within 1 s of the ledger going away even when the gateway has nothing to send it:
 * the outbox is empty, so only the gateway's probe of the ledger can notice.
 */
@ExtendWith(RunningSuite.class)
class LedgerProbeTest {

    /** JUnit makes the instance just before the test runs (not when the classes are found). */
    private final Instant started = Instant.now();

    @Test
    void aFailClosedTierIsRefusedWithinOneSecondOfALedgerOutageWithAnEmptyOutbox(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted open = gateway.grant("alice", 1);
        GatewayFixture.Granted closed = gateway.grant("alice", 3);
        String key = gateway.key("alice", null);
        Response served = gateway.chat(key, closed.model(), 2);
        served.then().statusCode(200);
        gateway.deliveredReceipt("alice", served.header("x-request-id"));
        awaitEmptyOutbox(suite);

        long stoppedAt;
        try {
            suite.stop("usage-ledger");
            // The ledger has been unreachable at least since stop() returned; no call is made before the check,
            // so nothing enters the outbox and the relay has nothing to fail on.
            stoppedAt = System.nanoTime();
            long noticedAt = 0;
            while (System.nanoTime() - stoppedAt < 1_000_000_000L) {
                if (noticedAt == 0 && "unreachable".equals(probeVerdict(suite))) {
                    noticedAt = System.nanoTime();
                }
                GatewayFixture.sleep(20);
            }
            assertEquals(0L, outboxRecords(suite), "the outbox was empty during the outage");

            Response refused = gateway.chat(key, closed.model(), 2);
            assertOpenAiError(refused, 503, "ledger_unavailable");
            assertNotNull(refused.header("Retry-After"));
            assertTrue(noticedAt != 0, "the gateway's probe did not notice the outage within 1 s");
            System.out.printf(
                    "[ledger-probe] outage noticed %d ms after the ledger had stopped%n",
                    (noticedAt - stoppedAt) / 1_000_000);
            // A tier that fails open goes on: its record waits in the outbox.
            gateway.chat(key, open.model(), 2).then().statusCode(200);
        } finally {
            suite.restart("usage-ledger");
        }

        long restartedAt = System.nanoTime();
        Response again = null;
        while (System.nanoTime() - restartedAt < 2_000_000_000L) {
            again = gateway.chat(key, closed.model(), 2);
            if (again.statusCode() == 200) {
                break;
            }
            GatewayFixture.sleep(50);
        }
        assertNotNull(again);
        assertEquals(200, again.statusCode(), "the fail-closed tier was not served again once the ledger was back");
        assertEquals("reachable", probeVerdict(suite));
    }

    /** What the gateway's readiness says of the ledger probe. */
    private static String probeVerdict(LocalSuite suite) {
        return given().get(suite.managementUrl("gateway") + "/q/health/ready")
                .then()
                .extract()
                .jsonPath()
                .getString("checks.find { it.name == 'ledger-probe' }.data.ledger");
    }

    private void awaitEmptyOutbox(LocalSuite suite) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (outboxRecords(suite) > 0) {
            assertTrue(System.nanoTime() < deadline, "the outbox did not empty");
            GatewayFixture.sleep(100);
        }
    }

    /**
     * Records the relay could send now (READY) or that a call still holds (PENDING). A PENDING record left by an
     * earlier test's call that was cut off by a database outage is not counted: the relay does not touch it until
     * {@code gateway.outbox.abandon-after} (15 min) closes it as interrupted, so it cannot make the relay fail
     * during this test's outage, and waiting for it would wait a quarter of an hour. This test's own calls come
     * after {@link #started}.
     */
    private long outboxRecords(LocalSuite suite) throws Exception {
        try (Connection connection = DriverManager.getConnection(
                        suite.database().jdbcUrl("va_gateway"),
                        suite.database().user(),
                        suite.database().password());
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM gateway.outbox"
                        + " WHERE state = 'READY' OR (state = 'PENDING' AND created_at >= ?)")) {
            query.setTimestamp(1, Timestamp.from(started.minusSeconds(1)));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
