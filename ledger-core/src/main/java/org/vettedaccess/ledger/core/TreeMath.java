package org.vettedaccess.ledger.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The RFC 9162 §2.1.1 tree hash MTH over stored perfect subtrees. */
public final class TreeMath {

    private TreeMath() {}

    /** The largest power of two strictly less than {@code n} (n ≥ 2), the split point k of RFC 9162. */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    /**
     * The perfect subtrees that make up the leaf range [start, end), left to right. For the ranges that
     * appear in RFC 9162's recursion (start a multiple of the range's split), these are the stored nodes.
     */
    public static List<NodeId> rangeNodes(long start, long end) {
        List<NodeId> nodes = new ArrayList<>();
        while (start < end) {
            long size = end - start;
            int level = 63 - Long.numberOfLeadingZeros(size);
            // The largest block that fits in the range and is aligned at start.
            while (level > 0 && start % (1L << level) != 0) {
                level--;
            }
            nodes.add(new NodeId(level, start >> level));
            start += 1L << level;
        }
        return nodes;
    }

    /** MTH(D[start:end]) from the stored nodes: the range's perfect subtrees folded right to left. */
    public static byte[] rangeHash(long start, long end, Function<NodeId, byte[]> nodes) {
        if (start == end) {
            return Hashes.emptyRoot();
        }
        List<NodeId> parts = rangeNodes(start, end);
        byte[] hash = nodes.apply(parts.get(parts.size() - 1));
        for (int i = parts.size() - 2; i >= 0; i--) {
            hash = Hashes.node(nodes.apply(parts.get(i)), hash);
        }
        return hash;
    }

    /** The tree head of the first {@code size} leaves. */
    public static byte[] root(long size, Function<NodeId, byte[]> nodes) {
        return rangeHash(0, size, nodes);
    }
}
