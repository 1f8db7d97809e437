package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * The gateway writes many calls' PENDING records and completions in one transaction (group commit). Concurrent calls
 * racing for one token budget must still each get exactly one record and one leaf, and the budget must hold.
 */
@ExtendWith(RunningSuite.class)
class GatewayGroupCommitTest {

    @Test
    void concurrentCallsShareCommitsAndTheBudgetStillHolds(LocalSuite suite, Keycloak keycloak) throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        ObjectNode tier2 = gateway.tier(2);
        String original = tier2.toString();
        long batchesBefore = metric(suite, "gateway_outbox_write_batch_count");
        long recordsBefore = metric(suite, "gateway_outbox_write_batch_sum");
        try {
            // Room for about a dozen of the 32 calls: they race for the budget inside shared transactions.
            gateway.putTier(tier2.deepCopy().put("tokenBudget", 600).put("rpm", 1000));
            GatewayFixture.Granted granted = gateway.grant("alice", 2);
            String key = gateway.key("alice", granted.grantId());
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(pool.submit(() -> gateway.chat(key, granted.model(), 40)));
            }
            List<String> served = new ArrayList<>();
            for (Future<Response> call : calls) {
                Response response = call.get();
                if (response.statusCode() == 200) {
                    served.add(response.header("x-request-id"));
                    for (String reset : List.of("requests", "tokens", "input-tokens", "output-tokens")) {
                        // OpenAI's format (Go's durations): "0s", "20ms", "1.25s", "6m0s".
                        String value = response.header("x-ratelimit-reset-" + reset);
                        assertTrue(
                                value != null && value.matches("\\d+ms|(\\d+h)?(\\d+m)?\\d+(\\.\\d{1,3})?s"),
                                reset + ": " + value);
                    }
                } else {
                    assertOpenAiError(response, 429, "insufficient_quota");
                }
            }
            pool.shutdown();
            assertTrue(served.size() >= 5 && served.size() < 32, "some calls fit in the budget: " + served.size());
            long used = 0;
            Set<Long> leaves = new HashSet<>();
            for (String request : served) {
                JsonNode receipt = gateway.deliveredReceipt("alice", request);
                used += receipt.path("inputTokens").asLong()
                        + receipt.path("outputTokens").asLong();
                assertTrue(leaves.add(receipt.path("ledgerIndex").asLong()), "one leaf per call: " + receipt);
            }
            assertTrue(used <= 600, "spent " + used + " of a 600-token budget");
            assertEquals(used, gateway.spent(granted.grantId()), "the durable budget counts exactly what was used");
            long usageLeaves = gateway.usageLeaves().stream()
                    .filter(leaf ->
                            granted.grantId().equals(leaf.path("grantId").asText()))
                    .count();
            assertEquals(served.size(), usageLeaves, "exactly one usage leaf per served call, none for refused ones");
            long batches = metric(suite, "gateway_outbox_write_batch_count") - batchesBefore;
            long records = metric(suite, "gateway_outbox_write_batch_sum") - recordsBefore;
            assertTrue(
                    records > batches,
                    "some transactions carried several calls' records: " + records + " records in " + batches
                            + " transactions");
        } finally {
            gateway.putTier((ObjectNode) GatewayFixture.read(original));
        }
    }

    private static long metric(LocalSuite suite, String name) {
        for (String line : given().get(suite.managementUrl("gateway") + "/q/metrics")
                .asString()
                .split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
