package org.vettedaccess.policy.tier;

import java.util.List;

/**
 * A tier's requirements and limits, as of one version.
 *
 * @param minAssurance the least KYC assurance level a grant at this tier needs
 * @param reviewers how many distinct reviewers KYC approval needs
 * @param purposeRequired whether a grant needs a substantive purpose statement
 * @param rescreenDays how often KYC re-screens (null: never)
 * @param tokenBudget tokens per grant (null: unlimited)
 * @param maxTokens the largest max_tokens one request may ask for
 * @param endpoints the /v1 endpoints a grant may use
 * @param maxGrantDays the longest a grant may run
 * @param keyDefaultDays how long a gateway API key lives unless its researcher asks for less (null in a change:
 *     unchanged)
 * @param keyMaxDays the longest a gateway API key may live (null in a change: unchanged)
 * @param autoGrant whether kyc-service's approval issues the requested grant by itself (null in a change:
 *     unchanged)
 * @param leafIndex the ledger leaf of this version (null until known: a leaf from the outbox is delivered later;
 *     ignored in a change)
 */
public record TierRecord(
        int tier,
        int version,
        int minAssurance,
        int reviewers,
        boolean purposeRequired,
        Integer rescreenDays,
        int rpm,
        int inputTpm,
        int outputTpm,
        Long tokenBudget,
        int maxTokens,
        List<String> endpoints,
        int maxGrantDays,
        Integer keyDefaultDays,
        Integer keyMaxDays,
        Boolean autoGrant,
        Long leafIndex) {

    static TierRecord of(TierEntity tier) {
        return new TierRecord(
                tier.tier,
                tier.version,
                tier.minAssurance,
                tier.reviewers,
                tier.purposeRequired,
                tier.rescreenDays,
                tier.rpm,
                tier.inputTpm,
                tier.outputTpm,
                tier.tokenBudget,
                tier.maxTokens,
                List.of(tier.endpoints),
                tier.maxGrantDays,
                tier.keyDefaultDays,
                tier.keyMaxDays,
                tier.autoGrant,
                tier.leafIndex);
    }
}
