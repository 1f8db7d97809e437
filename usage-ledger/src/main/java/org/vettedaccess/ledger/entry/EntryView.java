package org.vettedaccess.ledger.entry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An entry as a reader sees it.
 *
 * @param index its leaf index
 * @param type its entry type
 * @param loggedAt when the ledger sequenced it
 * @param leafHash its leaf hash, base64
 * @param leaf the leaf bytes, base64: exactly what is hashed, for readers who verify
 * @param entry the leaf parsed, for readers who read
 * @param disclosedName the name behind the entry's subject, only where a disclosure names it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntryView(
        long index,
        String type,
        Instant loggedAt,
        String leafHash,
        String leaf,
        JsonNode entry,
        String disclosedName) {}
