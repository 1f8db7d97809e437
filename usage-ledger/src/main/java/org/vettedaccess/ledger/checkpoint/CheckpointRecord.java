package org.vettedaccess.ledger.checkpoint;

import java.time.Instant;

/**
 * A published checkpoint.
 *
 * @param treeSize the number of leaves it commits to
 * @param rootHash the tree head, base64
 * @param note the signed note, exactly as signed
 * @param keyId the signing key's id, hex
 * @param signedAt when it was signed
 */
public record CheckpointRecord(long treeSize, String rootHash, String note, String keyId, Instant signedAt) {}
