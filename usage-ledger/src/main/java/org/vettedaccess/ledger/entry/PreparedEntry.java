package org.vettedaccess.ledger.entry;

import java.util.Map;
import org.vettedaccess.ledger.core.Jcs;

/**
 * A validated entry, ready to be sequenced.
 *
 * @param idempotencyKey the caller's key: a retry with it returns the original index
 * @param type the entry type
 * @param fields the fields as they go into the leaf, subjects already replaced by pseudonyms
 * @param canonical the fields' RFC 8785 form, written once: the request hash's and the leaf's bytes are made from it
 * @param requestHash a hash of type and fields, to tell a true retry from a different entry under the same key
 * @param subject the entry's pseudonymous subject, if it has one, for queries
 * @param model the entry's model, if it has one, for queries
 */
public record PreparedEntry(
        String idempotencyKey,
        EntryType type,
        Map<String, Object> fields,
        Jcs.CanonicalObject canonical,
        byte[] requestHash,
        String subject,
        String model) {}
