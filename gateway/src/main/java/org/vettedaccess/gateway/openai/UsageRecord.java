package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.vettedaccess.gateway.policy.Decision;

/**
 * The ledger's {@code usage} entry for one forwarded call (fields in docs/architecture.md). It carries a salted
 * commitment to the request, never the prompt itself.
 */
record UsageRecord(
        UUID requestId,
        Caller caller,
        Endpoint endpoint,
        String model,
        Decision decision,
        Instant startedAt,
        String promptCommitment) {

    ObjectNode entry(ObjectMapper json, String status, long inputTokens, long outputTokens, Instant finishedAt) {
        Instant start = startedAt.truncatedTo(ChronoUnit.MILLIS);
        Instant finish = finishedAt.truncatedTo(ChronoUnit.MILLIS);
        ObjectNode entry = json.createObjectNode()
                .put("subject", caller.subject())
                .put("model", model)
                .put("endpoint", endpoint.path)
                .put("grantId", decision.grantId().toString())
                .put("grantLeaf", decision.grantLeaf() == null ? 0 : decision.grantLeaf())
                .put("decisionId", decision.decisionId().toString())
                .put("policyVersion", decision.policyVersion() == null ? "unknown" : decision.policyVersion())
                .put("inputTokens", Math.max(0, inputTokens))
                .put("outputTokens", Math.max(0, outputTokens))
                .put("status", status)
                .put("latencyMs", Math.max(0, finish.toEpochMilli() - start.toEpochMilli()))
                .put("startedAt", start.toString())
                .put("finishedAt", finish.toString())
                .put("promptCommitment", promptCommitment);
        if (caller.keyId() != null) {
            entry.put("keyId", caller.keyId().toString());
        }
        return entry;
    }
}
