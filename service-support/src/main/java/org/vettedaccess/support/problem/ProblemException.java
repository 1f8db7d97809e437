package org.vettedaccess.support.problem;

/**
 * Thrown by a service's logic to answer with a problem. The message is the problem's {@code detail}, so it
 * must be safe to show to the caller: never put internals in it.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;

    public ProblemException(ProblemType type, String detail) {
        super(detail);
        this.type = type;
    }

    /** A 400 that names the offending field, e.g. {@code 'entries[0].entry.email' is not a field ...}. */
    public static ProblemException invalidField(String field, String problem) {
        return new ProblemException(ProblemType.INVALID_REQUEST, "'" + field + "' " + problem + ".");
    }

    public ProblemType type() {
        return type;
    }
}
