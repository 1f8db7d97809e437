package org.vettedaccess.gateway.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** access-policy's answer for one request (its contract is in docs/architecture.md). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Decision(
        String decision,
        List<String> reasons,
        UUID decisionId,
        UUID grantId,
        Long grantLeaf,
        Integer tier,
        Limits limits,
        String upstreamRoute,
        String policyVersion,
        Instant grantExpiresAt,
        long ttlMillis,
        Boolean failClosedOnLedgerOutage,
        String parameterFamily,
        String responsesApi) {

    /** A decision from an access-policy that names no parameter family or Responses API mode (classic chat). */
    public Decision(
            String decision,
            List<String> reasons,
            UUID decisionId,
            UUID grantId,
            Long grantLeaf,
            Integer tier,
            Limits limits,
            String upstreamRoute,
            String policyVersion,
            Instant grantExpiresAt,
            long ttlMillis,
            Boolean failClosedOnLedgerOutage) {
        this(
                decision,
                reasons,
                decisionId,
                grantId,
                grantLeaf,
                tier,
                limits,
                upstreamRoute,
                policyVersion,
                grantExpiresAt,
                ttlMillis,
                failClosedOnLedgerOutage,
                null,
                null);
    }

    /** The limits to enforce for the grant. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Limits(int rpm, int inputTpm, int outputTpm, Long tokenBudget, int maxTokens) {}

    public boolean allowed() {
        return "ALLOW".equals(decision) && grantId != null && limits != null && upstreamRoute != null;
    }

    /** The first reason for a deny, or {@code denied} if access-policy gave none. */
    public String reason() {
        return reasons == null || reasons.isEmpty() ? "denied" : reasons.get(0);
    }

    /** Whether the model reads max_completion_tokens and reasoning_effort, and refuses temperature (issue 22). */
    public boolean reasoningFamily() {
        return "REASONING".equals(parameterFamily);
    }

    /** Whether the model's server serves /v1/responses itself; otherwise the gateway translates to chat. */
    public boolean nativeResponses() {
        return "NATIVE".equals(responsesApi);
    }

    public boolean failsClosed() {
        return failClosedOnLedgerOutage == null || failClosedOnLedgerOutage;
    }
}
