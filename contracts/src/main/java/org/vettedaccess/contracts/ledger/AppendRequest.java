package org.vettedaccess.contracts.ledger;

import java.util.List;

/**
 * A batch of entries to append ({@code POST /api/v1/entries}); all are stored, or none.
 *
 * <p>{@code E} is how a side holds an entry's fields: the ledger reads them as a JSON tree (it computes the leaf's
 * canonical bytes from exactly what was sent), kyc-service and access-policy write a map, the gateway writes the
 * JSON text its outbox holds. The wire is the same: {@code {"entries":[{"idempotencyKey","type","entry":{…}}]}}.
 *
 * @param entries each with the caller's idempotency key, the entry type and the entry's fields
 */
public record AppendRequest<E>(List<Item<E>> entries) {

    /**
     * One entry.
     *
     * @param idempotencyKey 8-200 of {@code [A-Za-z0-9._:/-]}, scoped per appender: a retry returns the first index
     * @param type the entry type, e.g. {@code usage}, {@code kyc.decision}, {@code grant.issued}
     * @param entry the entry's fields (docs/architecture.md lists them per type)
     */
    public record Item<E>(String idempotencyKey, String type, E entry) {}

    /** A batch of one entry. */
    public static <E> AppendRequest<E> of(String idempotencyKey, String type, E entry) {
        return new AppendRequest<>(List.of(new Item<>(idempotencyKey, type, entry)));
    }
}
