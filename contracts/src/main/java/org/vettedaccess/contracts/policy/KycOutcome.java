package org.vettedaccess.contracts.policy;

import java.time.Instant;
import java.util.List;

/**
 * What kyc-service reports to access-policy after a decision, suspension or expiry ({@code POST
 * /api/v1/kyc-outcomes}).
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
        List<String> requestedModels,
        String purpose) {

    /** Whether this outcome grants access (the others stop or narrow it). */
    public boolean approval() {
        return "APPROVED".equals(status);
    }

    /** Whether kyc-service asks for the grant applied for to be issued automatically. */
    public boolean requestsGrant() {
        return approval() && requestedModels != null && !requestedModels.isEmpty();
    }

    /** The same outcome naming its KYC decision's leaf (known once the ledger has taken it). */
    public KycOutcome withKycLeaf(Long leaf) {
        return new KycOutcome(
                subject,
                assuranceLevel,
                approvedTier,
                leaf,
                status,
                institution,
                country,
                validUntil,
                requestedTier,
                requestedModels,
                purpose);
    }

    /**
     * access-policy's answer when the outcome asked for a grant (200; without one it answers 204).
     *
     * @param grant the grant issued (or the active one already held for the same models); access-policy sends its
     *     whole grant record, kyc-service reads only what it needs ({@link IssuedGrant})
     * @param refused why none was issued: the tier needs an admin, or the grant would be refused
     */
    public record Answer<G>(G grant, String refused) {}

    /** What kyc-service reads of the grant an approval issued. */
    public record IssuedGrant(String id) {}
}
