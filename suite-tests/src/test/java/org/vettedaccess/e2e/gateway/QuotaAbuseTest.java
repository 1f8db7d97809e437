package org.vettedaccess.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Quota abuse (OWASP API4, unrestricted resource consumption): one researcher's key opens streams on two gateway
 * replicas, and at the moment their clients walk away mid-stream, a burst of further streamed calls hits both
 * replicas. Neither the requests-per-minute limit (held in Redis, shared by the replicas) nor the grant's token
 * budget (reserved and settled in PostgreSQL) may be exceeded by more than one reservation; every admitted call
 * has exactly one usage leaf, the abandoned ones too (with the tokens streamed before the client left), and the
 * durable budget counts exactly what those leaves say.
 */
@ExtendWith(RunningSuite.class)
class QuotaAbuseTest {

    private static final int CALLS = 30;
    private static final int LEAVERS = 6;
    private static final int RPM = 12;
    private static final long BUDGET = 400;
    private static final int MAX_TOKENS = 30;

    /** What one client of the burst saw. */
    private record Outcome(int status, String requestId, boolean abandoned, String body) {}

    @Test
    void burstsAcrossTwoReplicasWithAbandonedStreamsStayWithinTheLimits(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        ObjectNode tier2 = gateway.tier(2);
        String original = tier2.toString();
        int http = org.vettedaccess.suite.SuitePorts.freePort();
        int management = org.vettedaccess.suite.SuitePorts.freePort();
        List<Outcome> outcomes = new ArrayList<>();
        GatewayFixture.Granted granted;
        try {
            gateway.putTier(tier2.deepCopy().put("tokenBudget", BUDGET).put("rpm", RPM));
            granted = gateway.grant("alice", 2);
            String key = gateway.key("alice", granted.grantId());
            suite.startGatewayReplica("gateway-2", http, management, Map.of());
            String[] gateways = {gateway.url, "http://localhost:" + http};
            // Every chunk 200 ms apart (a stream lasts seconds), so that streams are still running when clients leave.
            gateway.simFault("DRIP", -1, 200);
            ExecutorService pool = Executors.newFixedThreadPool(CALLS);
            // Wave 1 opens streams on both replicas and holds them; the moment they all have a first chunk (or
            // a refusal), their clients walk away while wave 2 bursts in: settlements race new reservations.
            CountDownLatch opened = new CountDownLatch(LEAVERS);
            CountDownLatch leave = new CountDownLatch(1);
            List<Future<Outcome>> calls = new ArrayList<>();
            for (int i = 0; i < LEAVERS; i++) {
                String target = gateways[i % 2];
                calls.add(pool.submit(() -> stream(target, key, granted.model(), opened, leave)));
            }
            assertTrue(opened.await(30, TimeUnit.SECONDS), "wave 1 got its answers");
            List<Future<Outcome>> burst = new ArrayList<>();
            for (int i = LEAVERS; i < CALLS; i++) {
                String target = gateways[i % 2];
                burst.add(pool.submit(() -> stream(target, key, granted.model(), null, null)));
            }
            leave.countDown();
            calls.addAll(burst);
            for (Future<Outcome> call : calls) {
                outcomes.add(call.get(60, TimeUnit.SECONDS));
            }
            pool.shutdownNow();
        } finally {
            gateway.simFault("NONE", -1, 0);
            suite.stop("gateway-2");
            gateway.putTier((ObjectNode) GatewayFixture.read(original));
        }

        List<Outcome> admitted =
                outcomes.stream().filter(o -> o.status() == 200).toList();
        for (Outcome refused : outcomes) {
            if (refused.status() != 200) {
                assertEquals(429, refused.status(), refused.body());
                assertTrue(
                        refused.body().contains("rate_limit_exceeded")
                                || refused.body().contains("insufficient_quota"),
                        refused.body());
            }
        }
        // The bucket refills at 12 a minute: at most one more may slip in while the burst runs.
        assertTrue(
                admitted.size() >= 2 && admitted.size() <= RPM + 1,
                "admitted " + admitted.size() + " of " + CALLS + " (limit " + RPM + "/min)");
        assertTrue(admitted.stream().anyMatch(Outcome::abandoned), "some admitted streams were abandoned");
        assertTrue(admitted.stream().anyMatch(o -> !o.abandoned()), "some of the burst was admitted");

        // Every admitted call reaches the ledger exactly once, abandoned or not.
        long receiptTokens = 0;
        for (Outcome call : admitted) {
            JsonNode receipt = gateway.deliveredReceipt("alice", call.requestId());
            String status = receipt.path("status").asText();
            assertEquals(call.abandoned() ? "client_cancelled" : "ok", status, receipt.toString());
            receiptTokens += receipt.path("inputTokens").asLong()
                    + receipt.path("outputTokens").asLong();
        }
        List<JsonNode> leaves = gateway.usageLeaves(granted.model());
        assertEquals(admitted.size(), leaves.size(), "one usage leaf per admitted call: " + leaves);
        long leafTokens = leaves.stream()
                .mapToLong(l ->
                        l.path("inputTokens").asLong() + l.path("outputTokens").asLong())
                .sum();
        assertEquals(receiptTokens, leafTokens, "the receipts and the leaves agree");
        // The durable budget counts what the leaves say, except that a caller who left is charged its whole output
        // reservation (max_tokens), as the output bucket is (issue 18): leaving early buys no tokens. Nothing is
        // left reserved, and the budget held (one reservation is the most a call may overrun).
        long charged = leaves.stream()
                .mapToLong(l -> l.path("inputTokens").asLong()
                        + ("client_cancelled".equals(l.path("status").asText())
                                ? MAX_TOKENS
                                : l.path("outputTokens").asLong()))
                .sum();
        long spent = gateway.spent(granted.grantId());
        assertEquals(charged, spent, "spent budget = the leaves' tokens, a cancelled call's whole output reservation");
        assertTrue(spent <= BUDGET + MAX_TOKENS + 50, "spent " + spent + " of a " + BUDGET + "-token budget");
        System.out.printf(
                "quota abuse: %d calls on 2 replicas, %d admitted (%d abandoned mid-stream), %d leaves, %d of %d"
                        + " budget tokens spent%n",
                CALLS,
                admitted.size(),
                admitted.stream().filter(Outcome::abandoned).count(),
                leaves.size(),
                spent,
                BUDGET);
        // Upstream, every abandoned stream was cancelled rather than left to run.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (gateway.simStats().path("openStreams").asInt() > 0 && System.nanoTime() < deadline) {
            GatewayFixture.sleep(100);
        }
        assertEquals(0, gateway.simStats().path("openStreams").asInt(), "streams left open upstream");
    }

    /**
     * One streamed call over a raw socket; an abandoning client holds the stream after its first chunk, then
     * closes the connection without reading on.
     */
    private static Outcome stream(
            String gatewayUrl, String key, String model, CountDownLatch opened, CountDownLatch leave)
            throws IOException, InterruptedException {
        boolean abandon = leave != null;
        try (GatewayFixture.RawStream stream =
                GatewayFixture.RawStream.open(gatewayUrl, key, model, MAX_TOKENS, "Tell me about quotas.")) {
            int status = stream.status;
            String line;
            StringBuilder rest = new StringBuilder();
            while ((line = stream.in.readLine()) != null) {
                rest.append(line).append('\n');
                if (status == 200 && line.startsWith("data:") && abandon) {
                    break; // the first chunk arrived: hold the stream until told to walk away
                }
            }
            if (opened != null) {
                opened.countDown();
                leave.await(30, TimeUnit.SECONDS);
            }
            return new Outcome(status, stream.requestId, abandon, rest.toString());
        }
    }
}
