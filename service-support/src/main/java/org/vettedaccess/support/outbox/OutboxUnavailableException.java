package org.vettedaccess.support.outbox;

/** The ledger cannot take entries now, or another replica's relay kept the outbox too long; nothing was appended. */
public class OutboxUnavailableException extends RuntimeException {

    public OutboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
