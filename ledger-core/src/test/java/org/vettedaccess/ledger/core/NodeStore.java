package org.vettedaccess.ledger.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An in-memory store of the nodes {@link CompactRange} completes, one flat array per level. */
final class NodeStore {

    private final List<byte[]> levels = new ArrayList<>();
    private final CompactRange tree = CompactRange.empty();

    NodeStore(long capacity) {
        for (long count = capacity; count > 0; count >>= 1) {
            levels.add(new byte[Math.toIntExact(count * Hashes.SIZE)]);
        }
    }

    void append(byte[] data) {
        for (CompactRange.StoredNode node : tree.append(Hashes.leaf(data))) {
            System.arraycopy(
                    node.hash(),
                    0,
                    levels.get(node.id().level()),
                    Math.toIntExact(node.id().index() * Hashes.SIZE),
                    Hashes.SIZE);
        }
    }

    byte[] get(NodeId id) {
        int offset = Math.toIntExact(id.index() * Hashes.SIZE);
        return Arrays.copyOfRange(levels.get(id.level()), offset, offset + Hashes.SIZE);
    }

    byte[] root() {
        return tree.root();
    }

    long size() {
        return tree.size();
    }
}
