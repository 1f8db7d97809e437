package org.vettedaccess.contracts.policy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Allow or deny, with everything the gateway needs to enforce and record it (access-policy's answer to a
 * {@link DecisionRequest}). access-policy leaves null fields out of the JSON.
 *
 * @param decision ALLOW or DENY
 * @param reasons machine-readable reasons, e.g. {@code grant_suspended}; empty on ALLOW
 * @param decisionId names this decision in the usage entry
 * @param grantId the grant that allows it
 * @param grantLeaf the ledger leaf of that grant's latest change, which the usage entry names
 * @param tier the grant's tier
 * @param limits the limits to enforce for the grant
 * @param upstreamRoute where the gateway forwards the model's calls
 * @param policyVersion a hash of the catalog, tier, grant and kill-switch state the decision used
 * @param grantExpiresAt when the grant ends (the gateway does not reuse the decision past it)
 * @param ttlMillis how long the gateway may reuse it (the change feed drops it sooner)
 * @param failClosedOnLedgerOutage whether the gateway must deny while it cannot record usage durably
 * @param parameterFamily the model's parameter family (CHAT or REASONING): which output-cap field it reads
 * @param responsesApi NATIVE if the model's server serves /v1/responses, TRANSLATED if the gateway translates
 * @param institution the subject's institution (a ROR id) from its KYC outcome, as a kill switch's INSTITUTION scope
 *     matches it; null on a deny, or from an access-policy that predates it (the gateway then knows none)
 * @param country the subject's country (ISO 3166-1 alpha-2), as a kill switch's COUNTRY scope matches it; null as
 *     above
 */
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
        String responsesApi,
        String institution,
        String country) {

    /** A decision that names no institution or country (a deny, or an access-policy from before them). */
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
            Boolean failClosedOnLedgerOutage,
            String parameterFamily,
            String responsesApi) {
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
                parameterFamily,
                responsesApi,
                null,
                null);
    }

    /** A decision that names no parameter family or Responses API mode: classic chat, translated. */
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

    /** The limits to enforce for a grant; {@code tokenBudget} null for no budget. */
    public record Limits(int rpm, int inputTpm, int outputTpm, Long tokenBudget, int maxTokens) {}

    /** A deny for one reason, with a fresh decision id. */
    public static Decision deny(String reason, long ttlMillis) {
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

    /** Whether this allows the request: an ALLOW that names a grant, its limits and a route (else: deny). */
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

    /** Whether the gateway must deny while the ledger is unreachable; when in doubt, yes. */
    public boolean failsClosed() {
        return failClosedOnLedgerOutage == null || failClosedOnLedgerOutage;
    }
}
