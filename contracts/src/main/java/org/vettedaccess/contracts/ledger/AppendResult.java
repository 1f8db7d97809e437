package org.vettedaccess.contracts.ledger;

/**
 * Where one entry landed.
 *
 * @param index its durably assigned leaf index
 * @param leafHash its RFC 9162 leaf hash, base64
 * @param duplicate true if an earlier append with the same idempotency key had already stored it
 */
public record AppendResult(long index, String leafHash, boolean duplicate) {}
