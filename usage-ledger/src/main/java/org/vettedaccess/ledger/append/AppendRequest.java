package org.vettedaccess.ledger.append;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A batch of entries to append.
 *
 * @param entries each with the caller's idempotency key, the entry type and the entry's fields
 */
public record AppendRequest(List<Item> entries) {

    /** One entry. */
    public record Item(String idempotencyKey, String type, JsonNode entry) {}
}
