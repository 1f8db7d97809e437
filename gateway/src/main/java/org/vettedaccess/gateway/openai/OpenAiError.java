package org.vettedaccess.gateway.openai;

import java.util.Map;

/**
 * A refusal on /v1, answered in the OpenAI error envelope {@code {"error": {"message", "type", "param", "code"}}}
 * so that the OpenAI SDKs raise their usual exceptions.
 */
public final class OpenAiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Map<String, String> headers;

    public OpenAiError(
            int status, String type, String code, String param, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.headers = headers;
    }

    public static OpenAiError invalid(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", "invalid_value", param, message, Map.of());
    }

    public static OpenAiError unauthenticated(String message) {
        return new OpenAiError(
                401, "invalid_request_error", "invalid_api_key", null, message, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static OpenAiError forbidden(String reason, String message) {
        return new OpenAiError(403, "permission_error", reason, null, message, Map.of());
    }

    /** A service problem (a ProblemException) in the OpenAI envelope, with the same status. */
    public static OpenAiError from(org.vettedaccess.support.problem.ProblemException problem) {
        int status = problem.type().status();
        if (status == 503) {
            return unavailable("temporarily_unavailable", problem.getMessage(), 2);
        }
        String type =
                status == 401 ? "invalid_request_error" : status == 403 ? "permission_error" : "invalid_request_error";
        return new OpenAiError(
                status,
                type,
                problem.type().name().toLowerCase(java.util.Locale.ROOT),
                null,
                problem.getMessage(),
                Map.of());
    }

    /** A 503 with its retry delay in both forms the OpenAI SDKs read: {@code retry-after-ms} first. */
    public static OpenAiError unavailable(String code, String message, long retryAfterSeconds) {
        long seconds = Math.max(1, retryAfterSeconds);
        return new OpenAiError(
                503,
                "server_error",
                code,
                null,
                message,
                Map.of("Retry-After", Long.toString(seconds), "retry-after-ms", Long.toString(seconds * 1000)));
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
