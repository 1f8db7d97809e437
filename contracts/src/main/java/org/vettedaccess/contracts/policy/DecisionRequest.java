package org.vettedaccess.contracts.policy;

import java.util.UUID;

/**
 * What the gateway asks before forwarding one request ({@code POST /api/v1/decisions}).
 *
 * @param subject the caller's subject id
 * @param model the model id the request names
 * @param endpoint the /v1 endpoint, e.g. {@code /v1/chat/completions}
 * @param maxTokens the max_tokens the request asks for
 * @param grantId only this grant may allow it (an API key bound to one grant); null: any of the subject's grants
 * @param afterSeq the highest change-feed sequence the caller has already seen: the answering replica first brings
 *     its state up to it (or to the newest change that exists, if that is older), so that a caller told of a change
 *     never gets a decision that predates it from a replica that has not followed yet (ADR 0098). Null (older
 *     callers): no floor beyond the replica's own following.
 */
public record DecisionRequest(
        String subject, String model, String endpoint, Integer maxTokens, UUID grantId, Long afterSeq) {

    public DecisionRequest(String subject, String model, String endpoint, Integer maxTokens) {
        this(subject, model, endpoint, maxTokens, null, null);
    }

    public DecisionRequest(String subject, String model, String endpoint, Integer maxTokens, UUID grantId) {
        this(subject, model, endpoint, maxTokens, grantId, null);
    }

    /** This request with the caller's change-feed floor. */
    public DecisionRequest withAfterSeq(long seq) {
        return new DecisionRequest(subject, model, endpoint, maxTokens, grantId, seq);
    }

    /** The floor, 0 when the caller sent none. */
    public long floor() {
        return afterSeq == null || afterSeq < 0 ? 0 : afterSeq;
    }
}
