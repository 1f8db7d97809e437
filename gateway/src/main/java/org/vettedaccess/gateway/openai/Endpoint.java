package org.vettedaccess.gateway.openai;

/** The model endpoints of /v1 the gateway forwards. */
enum Endpoint {
    CHAT("/v1/chat/completions", "/chat/completions", "chat", true),
    COMPLETIONS("/v1/completions", "/completions", "text_completion", true),
    EMBEDDINGS("/v1/embeddings", "/embeddings", "embeddings", false),
    /** The Responses API; an upstream that serves only chat completions gets it translated (ResponsesTranslation). */
    RESPONSES("/v1/responses", "/responses", "chat", true);

    /** The path as callers and access-policy name it. */
    final String path;
    /** The path under the upstream's base URL. */
    final String upstreamPath;
    /** The OpenTelemetry GenAI operation name. */
    final String operation;
    /** Whether it generates tokens (and so takes max_tokens and may stream). */
    final boolean generates;

    Endpoint(String path, String upstreamPath, String operation, boolean generates) {
        this.path = path;
        this.upstreamPath = upstreamPath;
        this.operation = operation;
        this.generates = generates;
    }
}
