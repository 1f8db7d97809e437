package org.vettedaccess.ledger.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The right edge of a growing tree: the hashes of the perfect subtrees that make up leaves [0, size). Appending
 * a leaf yields the nodes it completes, which is all a log has to store to integrate it; the root is the
 * edge folded right to left. At most log2(size) hashes are held.
 */
public final class CompactRange {

    private final List<byte[]> edge;
    private long size;

    private CompactRange(List<byte[]> edge, long size) {
        this.edge = edge;
        this.size = size;
    }

    public static CompactRange empty() {
        return new CompactRange(new ArrayList<>(), 0);
    }

    /** Resumes a tree of {@code size} leaves from its stored nodes. */
    public static CompactRange of(long size, Function<NodeId, byte[]> nodes) {
        List<byte[]> edge = new ArrayList<>();
        for (NodeId node : TreeMath.rangeNodes(0, size)) {
            edge.add(nodes.apply(node));
        }
        return new CompactRange(edge, size);
    }

    /** The nodes of the edge for a tree of {@code size}, for {@link #of} to read. */
    public static List<NodeId> edgeNodes(long size) {
        return TreeMath.rangeNodes(0, size);
    }

    /** A node that an append completed, to be stored. */
    public record StoredNode(NodeId id, byte[] hash) {}

    /** Appends one leaf hash and returns the nodes it completed: the leaf itself, then each new parent. */
    public List<StoredNode> append(byte[] leafHash) {
        List<StoredNode> completed = new ArrayList<>(2);
        long index = size;
        byte[] hash = leafHash;
        completed.add(new StoredNode(new NodeId(0, index), hash));
        int level = 0;
        // Each trailing 1 bit of the new index closes a subtree with its left sibling on the edge.
        while ((index & 1) == 1) {
            hash = Hashes.node(edge.remove(edge.size() - 1), hash);
            index >>= 1;
            level++;
            completed.add(new StoredNode(new NodeId(level, index), hash));
        }
        edge.add(hash);
        size++;
        return completed;
    }

    public long size() {
        return size;
    }

    public byte[] root() {
        if (edge.isEmpty()) {
            return Hashes.emptyRoot();
        }
        byte[] hash = edge.get(edge.size() - 1);
        for (int i = edge.size() - 2; i >= 0; i--) {
            hash = Hashes.node(edge.get(i), hash);
        }
        return hash;
    }
}
