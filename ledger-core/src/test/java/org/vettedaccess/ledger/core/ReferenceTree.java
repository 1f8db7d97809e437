package org.vettedaccess.ledger.core;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1 written as literally as the text reads, straight over the leaves, with no stored nodes: the
 * yardstick the optimised code is checked against.
 */
final class ReferenceTree {

    private ReferenceTree() {}

    static byte[] mth(List<byte[]> d) {
        int n = d.size();
        if (n == 0) {
            return Hashes.emptyRoot();
        }
        if (n == 1) {
            return Hashes.leaf(d.get(0));
        }
        int k = Integer.highestOneBit(n - 1);
        return Hashes.node(mth(d.subList(0, k)), mth(d.subList(k, n)));
    }

    static List<byte[]> path(int m, List<byte[]> d) {
        int n = d.size();
        List<byte[]> out = new ArrayList<>();
        if (n <= 1) {
            return out;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m < k) {
            out.addAll(path(m, d.subList(0, k)));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(path(m - k, d.subList(k, n)));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    static List<byte[]> proof(int m, List<byte[]> d) {
        return m == 0 || m == d.size() ? new ArrayList<>() : subproof(m, d, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
        int n = d.size();
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(d));
            }
            return out;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m <= k) {
            out.addAll(subproof(m, d.subList(0, k), b));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, d.subList(k, n), false));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }
}
