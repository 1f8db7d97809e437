package org.vettedaccess.contracts.policy;

import java.util.List;

/**
 * A model as access-policy's catalog shows it ({@code GET /api/v1/models}; or as a pending change would set it),
 * read by kyc-service (which models an application may request, and by which tier) and the gateway's portal.
 *
 * @param id the model id researchers call
 * @param upstreamRoute the name of the gateway route that serves it
 * @param trainingFlop its training compute
 * @param evalFlags flags from evaluations, e.g. {@code cyber-uplift}
 * @param riskClass SYSTEMIC (≥ the systemic threshold or flagged), ELEVATED (≥ the tier-2 threshold) or STANDARD
 * @param requiredTier the tier a grant must have to use it
 * @param status ACTIVE or SUSPENDED
 * @param version increases with every change
 * @param disclosures the lab's published documents about the model, each with its SHA-256
 * @param leafIndex the ledger leaf of this version (null until known: a leaf from the outbox is delivered later)
 * @param parameterFamily CHAT (reads max_tokens, temperature) or REASONING (reads max_completion_tokens and
 *     reasoning_effort, refuses temperature)
 * @param responsesApi NATIVE if the model's server serves /v1/responses itself, TRANSLATED if it serves only chat
 *     completions and the gateway translates
 */
public record ModelRecord(
        String id,
        String upstreamRoute,
        double trainingFlop,
        List<String> evalFlags,
        String riskClass,
        int requiredTier,
        String status,
        int version,
        List<Disclosure> disclosures,
        Long leafIndex,
        String parameterFamily,
        String responsesApi) {

    /** The parameter families and Responses API modes the catalog knows. */
    public static final java.util.Set<String> FAMILIES = java.util.Set.of("CHAT", "REASONING");

    public static final java.util.Set<String> RESPONSES_APIS = java.util.Set.of("NATIVE", "TRANSLATED");

    /**
     * A version stored before these fields existed (or a change request asked then) means what they meant then; no
     * flags is an empty list, which the portal's templates iterate.
     */
    public ModelRecord {
        evalFlags = evalFlags == null ? List.of() : evalFlags;
        parameterFamily = parameterFamily == null ? "CHAT" : parameterFamily;
        responsesApi = responsesApi == null ? "TRANSLATED" : responsesApi;
    }

    /** This model as its next version: the new version and risk class, its leaf not yet known. */
    public ModelRecord withVersion(int next, String risk) {
        return new ModelRecord(
                id,
                upstreamRoute,
                trainingFlop,
                evalFlags,
                risk,
                requiredTier,
                status,
                next,
                disclosures,
                null,
                parameterFamily,
                responsesApi);
    }

    /** Whether an application may request it now (and a grant use it). */
    public boolean active() {
        return "ACTIVE".equals(status);
    }

    /**
     * A document the lab published about a model, tied to the catalog entry by its hash.
     *
     * @param kind what it is, a lowercase slug such as {@code model-card} or {@code evaluation-summary}
     * @param url where it is published (http or https)
     * @param sha256 the SHA-256 of the published bytes, lowercase hex
     */
    public record Disclosure(String kind, String url, String sha256) {}
}
