package org.vettedaccess.ledger.core;

/**
 * A perfect, aligned subtree: the hash over the 2^level leaves starting at leaf {@code index * 2^level}. These
 * are the only hashes a log stores; every tree head and proof is built from O(log n) of them.
 */
public record NodeId(int level, long index) {

    public NodeId {
        if (level < 0 || level > 62 || index < 0) {
            throw new IllegalArgumentException("no such node: level " + level + ", index " + index);
        }
    }
}
