package org.vettedaccess.ledger.export;

import java.util.List;

/**
 * Everything an offline verifier needs, in one file.
 *
 * @param origin the log's origin line
 * @param verifierKeys the ledger's verifier keys, current first (a verifier trusts its own pinned copy)
 * @param checkpoints every checkpoint up to the bundle's tree size, as signed notes, oldest first
 * @param treeSize the size of the newest checkpoint, which the entries and proofs cover
 * @param entries every entry [0, treeSize), with its inclusion proof against the newest checkpoint
 * @param consistency a consistency proof from each earlier checkpoint to the newest
 */
public record ExportBundle(
        String origin,
        List<String> verifierKeys,
        List<String> checkpoints,
        long treeSize,
        List<Entry> entries,
        List<Consistency> consistency) {

    /** One entry: its index, its leaf bytes (base64) and its inclusion proof (base64 hashes). */
    public record Entry(long index, String leaf, List<String> inclusion) {}

    /** A consistency proof (base64 hashes) from tree size {@code from} to {@code to}. */
    public record Consistency(long from, long to, List<String> hashes) {}
}
