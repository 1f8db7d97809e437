package org.vettedaccess.policy.handoff;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A grant hand-off as the API shows it.
 *
 * @param id the hand-off's id
 * @param subject the researcher's subject id
 * @param tier the tier the researcher was approved for and applied for
 * @param models the models applied for, which the grant is for
 * @param purpose the research purpose applied with
 * @param kycUntil when the KYC approval lapses (the grant ends no later)
 * @param status AWAITING, ISSUED, REFUSED or SUPERSEDED
 * @param reason the admin's reason for a refusal (the researcher reads it)
 * @param decidedAt when an admin issued or refused it
 * @param grantId the grant issued
 * @param reasonSalt a refusal's salt: with it the reason can be shown to match the leaf's {@code reasonCommitment}
 * @param leafIndex a refusal's {@code handoff.refused} leaf; null until the outbox has delivered it
 * @param createdAt when the approval arrived
 */
public record HandoffRecord(
        UUID id,
        String subject,
        int tier,
        List<String> models,
        String purpose,
        Instant kycUntil,
        String status,
        String reason,
        Instant decidedAt,
        UUID grantId,
        String reasonSalt,
        Long leafIndex,
        Instant createdAt) {

    static HandoffRecord of(HandoffEntity h) {
        return new HandoffRecord(
                h.id,
                h.subject,
                h.tier,
                List.of(h.models),
                h.purpose,
                h.kycUntil,
                h.status,
                h.reason,
                h.decidedAt,
                h.grantId,
                h.reasonSalt,
                h.leafIndex,
                h.createdAt);
    }
}
