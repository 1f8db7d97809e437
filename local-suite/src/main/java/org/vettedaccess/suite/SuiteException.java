package org.vettedaccess.suite;

/** A start-up problem, with a message that names the problem and what to do about it, in one line. */
public class SuiteException extends Exception {

    public SuiteException(String message) {
        super(message);
    }

    public SuiteException(String message, Throwable cause) {
        super(message, cause);
    }
}
