package org.vettedaccess.support.outbox;

/** An entry with this idempotency key is already queued: the same change was made twice at once. */
public class DuplicateEntryException extends RuntimeException {

    public DuplicateEntryException(String idempotencyKey, Throwable cause) {
        super("an entry with key " + idempotencyKey + " is already queued", cause);
    }
}
