package org.vettedaccess.policy.decision;

/**
 * What the gateway asks before forwarding one request.
 *
 * @param subject the caller's subject id
 * @param model the model id the request names
 * @param endpoint the /v1 endpoint, e.g. {@code /v1/chat/completions}
 * @param maxTokens the max_tokens the request asks for
 */
public record DecisionRequest(String subject, String model, String endpoint, Integer maxTokens) {}
