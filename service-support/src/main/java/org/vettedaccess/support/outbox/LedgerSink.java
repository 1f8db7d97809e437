package org.vettedaccess.support.outbox;

import java.util.Map;

/** Appends one entry to the usage-ledger with the service's own credentials and returns its leaf index. */
@FunctionalInterface
public interface LedgerSink {

    /**
     * Must be idempotent by {@code idempotencyKey}: the ledger answers a repeated key with the index it gave the
     * first time, which is what makes a retry after a lost answer exactly-once. Throws if the ledger did not take it.
     */
    long append(String idempotencyKey, String type, Map<String, Object> entry);
}
