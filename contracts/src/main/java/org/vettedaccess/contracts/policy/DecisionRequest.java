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
 */
public record DecisionRequest(String subject, String model, String endpoint, Integer maxTokens, UUID grantId) {

    public DecisionRequest(String subject, String model, String endpoint, Integer maxTokens) {
        this(subject, model, endpoint, maxTokens, null);
    }
}
