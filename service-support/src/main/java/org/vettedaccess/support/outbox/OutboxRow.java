package org.vettedaccess.support.outbox;

import java.util.Map;

/**
 * One entry waiting for the ledger.
 *
 * @param id its place in the order the entries were made
 * @param ref what the service's {@link LeafCallback} finds its object by (e.g. a grant id and version), or null
 */
public record OutboxRow(long id, String idempotencyKey, String type, Map<String, Object> entry, String ref) {}
