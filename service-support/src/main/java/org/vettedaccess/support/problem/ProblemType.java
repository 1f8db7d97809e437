package org.vettedaccess.support.problem;

/**
 * The kinds of problem the suite answers with. Each has a stable URI (its {@link #uri()}) and a default
 * status; services add kinds here rather than inventing ad-hoc strings, so every service speaks the same
 * error vocabulary.
 */
public enum ProblemType {
    UNAUTHENTICATED("unauthenticated", "Authentication required", 401),
    INVALID_TOKEN("invalid-token", "Invalid access token", 401),
    FORBIDDEN("forbidden", "Not allowed", 403),
    NOT_FOUND("not-found", "Not found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    MALFORMED_REQUEST("malformed-request", "Malformed request", 400),
    INVALID_REQUEST("invalid-request", "Invalid request", 400),
    CONFLICT("conflict", "Conflict", 409),
    WRONG_CODE("wrong-code", "Wrong code", 400),
    CODE_EXPIRED("code-expired", "Code expired", 400),
    TOO_MANY_REQUESTS("too-many-requests", "Too many requests", 429),
    POLICY_REFUSED("policy-refused", "Refused by policy", 422),
    UNAVAILABLE("unavailable", "Service unavailable", 503),
    INTERNAL("internal", "Internal error", 500);

    private final String slug;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String uri() {
        return Problem.TYPE_PREFIX + slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    /** The generic kind for an HTTP status raised by the framework (routing, content negotiation). */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> TOO_MANY_REQUESTS;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : INVALID_REQUEST;
        };
    }
}
