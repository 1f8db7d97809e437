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

    public ProblemType type() {
        return type;
    }
}
