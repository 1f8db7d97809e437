package org.vettedaccess.support.outbox;

/**
 * Stores a delivered leaf's index where the service shows it (a kill switch's engaged leaf, a grant's leaf, an
 * application's KYC leaf). Runs in the same transaction that marks the row delivered, so either both happen or the
 * row is delivered again (the ledger answers with the same index).
 */
public interface LeafCallback {

    /** Whether this callback stores leaves of this entry type. */
    boolean handles(String type);

    /** The row has its leaf; {@code ref} is what the service put on the row to find its object again. */
    void delivered(OutboxRow row, long leafIndex);
}
