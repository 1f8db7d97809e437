package org.vettedaccess.ledger.entry;

import java.time.Instant;

/**
 * What a query of the log selects; null means "any".
 *
 * @param type an entry type, e.g. {@code usage}
 * @param model a model id
 * @param subject a pseudonym
 * @param from the earliest logged time, inclusive
 * @param to the latest logged time, exclusive
 * @param after return entries with an index greater than this (the paging cursor)
 * @param limit at most this many entries
 */
public record EntryFilter(String type, String model, String subject, Instant from, Instant to, Long after, int limit) {}
