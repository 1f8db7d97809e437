package org.vettedaccess.gateway.openai;

import java.util.Locale;
import java.util.Map;
import org.vettedaccess.support.problem.ProblemException;

/**
 * A refusal on /v1, answered in the OpenAI error envelope {@code {"error": {"message", "type", "param", "code"}}}
 * so that the OpenAI SDKs raise their usual exceptions. Made only by the named factories below, one per kind of
 * answer, so a status and its type and code cannot drift apart.
 */
public final class OpenAiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Map<String, String> headers;

    private OpenAiError(
            int status, String type, String code, String param, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.headers = headers;
    }

    /** 400: a field of the request has a value the gateway refuses. */
    public static OpenAiError invalid(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", "invalid_value", param, message, Map.of());
    }

    /** 400: the body is not a JSON object. */
    public static OpenAiError invalidJson(String message) {
        return new OpenAiError(400, "invalid_request_error", "invalid_json", null, message, Map.of());
    }

    /** 401, with the {@code WWW-Authenticate} challenge. */
    public static OpenAiError unauthenticated(String message) {
        return new OpenAiError(
                401, "invalid_request_error", "invalid_api_key", null, message, Map.of("WWW-Authenticate", "Bearer"));
    }

    /** 403 with the policy's reason as the code. */
    public static OpenAiError forbidden(String reason, String message) {
        return new OpenAiError(403, "permission_error", reason, null, message, Map.of());
    }

    /** 404 as OpenAI answers a model the caller may not see: the same as one that does not exist. */
    public static OpenAiError modelNotFound(String model) {
        return new OpenAiError(
                404,
                "invalid_request_error",
                "model_not_found",
                "model",
                "The model '" + model + "' does not exist or you do not have access to it.",
                Map.of());
    }

    /** 413: the body is larger than the gateway reads. */
    public static OpenAiError bodyTooLarge(String message) {
        return new OpenAiError(413, "invalid_request_error", "request_too_large", null, message, Map.of());
    }

    /** 429 for a bucket that holds too little now; {@code headers} say when to retry. */
    public static OpenAiError rateLimited(String message, Map<String, String> headers) {
        return new OpenAiError(429, "rate_limit_exceeded", "rate_limit_exceeded", null, message, headers);
    }

    /** 429 for a call no wait would admit: {@code x-should-retry: false} stops the OpenAI SDKs retrying it. */
    public static OpenAiError requestTooLarge(String param, String message) {
        return new OpenAiError(
                429, "rate_limit_exceeded", "request_too_large", param, message, Map.of("x-should-retry", "false"));
    }

    /** 429 for a grant whose durable token budget cannot cover the call. */
    public static OpenAiError insufficientQuota(String message) {
        return new OpenAiError(429, "insufficient_quota", "insufficient_quota", null, message, Map.of());
    }

    /** 429 for a client that sent too many bad credentials, with when to try again. */
    public static OpenAiError tooManyFailures(String message, long retryAfterSeconds) {
        return new OpenAiError(
                429, "requests", "too_many_failed_authentications", null, message, retryAfter(retryAfterSeconds));
    }

    /** 500, for an unexpected failure; the message names the logged error id, never a stack trace. */
    public static OpenAiError internal(String message) {
        return new OpenAiError(500, "server_error", "internal_error", null, message, Map.of());
    }

    /** 502: the model's server failed or broke off. */
    public static OpenAiError upstreamError(String message) {
        return new OpenAiError(502, "server_error", "upstream_error", null, message, Map.of());
    }

    /** 504: the model's server did not answer, or stopped sending, in time. */
    public static OpenAiError upstreamTimeout(String message) {
        return new OpenAiError(504, "server_error", "upstream_timeout", null, message, Map.of());
    }

    /** A service problem (a ProblemException) in the OpenAI envelope, with the same status. */
    public static OpenAiError from(ProblemException problem) {
        int status = problem.type().status();
        if (status == 503) {
            return unavailable("temporarily_unavailable", problem.getMessage(), 2);
        }
        String type = status == 403 ? "permission_error" : "invalid_request_error";
        return new OpenAiError(
                status, type, problem.type().name().toLowerCase(Locale.ROOT), null, problem.getMessage(), Map.of());
    }

    /** A 503 with its retry delay in both forms the OpenAI SDKs read: {@code retry-after-ms} first. */
    public static OpenAiError unavailable(String code, String message, long retryAfterSeconds) {
        return new OpenAiError(503, "server_error", code, null, message, retryAfter(retryAfterSeconds));
    }

    private static Map<String, String> retryAfter(long retryAfterSeconds) {
        long seconds = Math.max(1, retryAfterSeconds);
        return Map.of("Retry-After", Long.toString(seconds), "retry-after-ms", Long.toString(seconds * 1000));
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
