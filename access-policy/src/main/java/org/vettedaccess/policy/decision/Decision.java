package org.vettedaccess.policy.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Allow or deny, with everything the gateway needs to enforce and record it.
 *
 * @param decision ALLOW or DENY
 * @param reasons machine-readable reasons, e.g. {@code grant_suspended}; empty on ALLOW
 * @param decisionId names this decision in the usage entry
 * @param grantId the grant that allows it
 * @param grantLeaf the ledger leaf of that grant's latest change, which the usage entry names
 * @param policyVersion a hash of the catalog, tier, grant and kill-switch state the decision used
 * @param ttlMillis how long the gateway may reuse it (the change feed drops it sooner)
 * @param failClosedOnLedgerOutage whether the gateway must deny while it cannot record usage durably
 * @param parameterFamily the model's parameter family (CHAT or REASONING): which output-cap field it reads
 * @param responsesApi NATIVE if the model's server serves /v1/responses, TRANSLATED if the gateway translates
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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

    /** The limits to enforce for this grant. */
    public record Limits(int rpm, int inputTpm, int outputTpm, Long tokenBudget, int maxTokens) {}

    static Decision deny(String reason, long ttlMillis) {
        return new Decision(
                "DENY",
                List.of(reason),
                UUID.randomUUID(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                ttlMillis,
                null,
                null,
                null);
    }
}
