package org.vettedaccess.ledger.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * RFC 9162 inclusion (§2.1.3) and consistency (§2.1.4) proofs: making them from stored nodes, and verifying
 * them. Making a proof is two steps, so that a store reads all it needs at once: {@code ...Nodes} lists the
 * O(log n) stored nodes the proof needs, and {@code ...Proof} builds it from those.
 */
public final class Proofs {

    private Proofs() {}

    /** A leaf range [start, end) whose hash is one element of a proof. */
    private record Range(long start, long end) {}

    // ---- inclusion ----

    public static Set<NodeId> inclusionNodes(long index, long size) {
        return nodesOf(inclusionRanges(index, size));
    }

    public static List<byte[]> inclusionProof(long index, long size, Function<NodeId, byte[]> nodes) {
        return hashesOf(inclusionRanges(index, size), nodes);
    }

    /** PATH(m, D[0:n]), from the leaf's sibling up to the root's other child. */
    private static List<Range> inclusionRanges(long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of size " + size);
        }
        List<Range> path = new ArrayList<>();
        path(index, 0, size, path);
        return path;
    }

    private static void path(long m, long start, long end, List<Range> out) {
        long n = end - start;
        if (n <= 1) {
            return;
        }
        long k = TreeMath.split(n);
        if (m < k) {
            path(m, start, start + k, out);
            out.add(new Range(start + k, end));
        } else {
            path(m - k, start + k, end, out);
            out.add(new Range(start, start + k));
        }
    }

    /** RFC 9162 §2.1.3.2. */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = Hashes.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = Hashes.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    // ---- consistency ----

    public static Set<NodeId> consistencyNodes(long first, long second) {
        return nodesOf(consistencyRanges(first, second));
    }

    public static List<byte[]> consistencyProof(long first, long second, Function<NodeId, byte[]> nodes) {
        return hashesOf(consistencyRanges(first, second), nodes);
    }

    /** PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true). */
    private static List<Range> consistencyRanges(long first, long second) {
        if (first < 0 || first > second) {
            throw new IllegalArgumentException("no consistency proof from size " + first + " to " + second);
        }
        List<Range> proof = new ArrayList<>();
        if (first > 0 && first < second) {
            subproof(first, 0, second, true, proof);
        }
        return proof;
    }

    private static void subproof(long m, long start, long end, boolean whole, List<Range> out) {
        long n = end - start;
        if (m == n) {
            if (!whole) {
                out.add(new Range(start, end));
            }
            return;
        }
        long k = TreeMath.split(n);
        if (m <= k) {
            subproof(m, start, start + k, whole, out);
            out.add(new Range(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, out);
            out.add(new Range(start, start + k));
        }
    }

    /** RFC 9162 §2.1.4.2. */
    public static boolean verifyConsistency(
            long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
        if (first < 0 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
        }
        if (first == 0) {
            return proof.isEmpty();
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstRoot);
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = Hashes.node(c, fr);
                sr = Hashes.node(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = Hashes.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
    }

    private static Set<NodeId> nodesOf(List<Range> ranges) {
        Set<NodeId> nodes = new LinkedHashSet<>();
        for (Range range : ranges) {
            nodes.addAll(TreeMath.rangeNodes(range.start(), range.end()));
        }
        return nodes;
    }

    private static List<byte[]> hashesOf(List<Range> ranges, Function<NodeId, byte[]> nodes) {
        List<byte[]> hashes = new ArrayList<>(ranges.size());
        for (Range range : ranges) {
            hashes.add(TreeMath.rangeHash(range.start(), range.end(), nodes));
        }
        return hashes;
    }
}
