package org.vettedaccess.ledger.entry;

import java.time.Instant;

/** A leaf as stored: its index, type, subject pseudonym, time, bytes and hash. */
public record StoredLeaf(long index, String type, String subject, Instant loggedAt, byte[] bytes, byte[] leafHash) {}
