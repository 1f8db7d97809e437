package org.vettedaccess.support.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every error a service answers on its own API.
 *
 * @param type a URI naming the kind of problem; clients switch on it, never on {@code title}
 * @param title a short, human-readable summary of the kind of problem
 * @param status the HTTP status code
 * @param detail what went wrong in this occurrence, safe to show to the caller
 * @param instance the request path the problem occurred on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    /** The media type of a problem body (RFC 9457 §3). */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Prefix of every problem type URI the suite defines; the suffix is a {@link ProblemType} slug. */
    public static final String TYPE_PREFIX = "urn:vetted-access:problem:";
}
