package org.vettedaccess.policy.assurance;

import java.time.Instant;

/**
 * What kyc-service reports after a decision, suspension or expiry.
 *
 * @param subject the researcher's subject id
 * @param assuranceLevel 0 (none) to 3
 * @param approvedTier the highest tier the approval covers
 * @param kycLeaf the ledger leaf of the KYC decision, which grants name; required with APPROVED, and null for a
 *     restrictive outcome reported before its leaf was delivered
 * @param status APPROVED, SUSPENDED, EXPIRED, REJECTED or WITHDRAWN
 * @param institution the affiliation's ROR id, for institution-scoped kill switches
 * @param country ISO 3166-1 alpha-2, for country-scoped kill switches
 * @param validUntil when the approval lapses without re-screening
 * @param requestedTier with an APPROVED outcome: the tier the researcher applied for (for an automatic grant)
 * @param requestedModels the models applied for; where the tier allows it, approval grants them at once
 * @param purpose the research purpose applied with, which the automatic grant is bound to
 */
public record KycOutcome(
        String subject,
        Integer assuranceLevel,
        Integer approvedTier,
        Long kycLeaf,
        String status,
        String institution,
        String country,
        Instant validUntil,
        Integer requestedTier,
        java.util.List<String> requestedModels,
        String purpose) {

    /** Whether kyc-service asks for the grant applied for to be issued automatically. */
    public boolean requestsGrant() {
        return "APPROVED".equals(status) && requestedModels != null && !requestedModels.isEmpty();
    }
}
