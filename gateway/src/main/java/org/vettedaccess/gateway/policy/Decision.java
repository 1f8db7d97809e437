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
        Boolean failClosedOnLedgerOutage) {

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

    public boolean failsClosed() {
        return failClosedOnLedgerOutage == null || failClosedOnLedgerOutage;
    }
}
