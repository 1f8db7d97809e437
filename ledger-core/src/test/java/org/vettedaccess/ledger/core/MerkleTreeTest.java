package org.vettedaccess.ledger.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tree and its proofs against the published RFC 6962 / 9162 test vectors and the literal RFC definitions. */
class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();

    /** The eight leaves of the RFC 6962 reference tests (certificate-transparency merkle_tree_test). */
    private static final List<byte[]> LEAVES = List.of(
            hex(""),
            hex("00"),
            hex("10"),
            hex("2021"),
            hex("3031"),
            hex("40414243"),
            hex("5051525354555657"),
            hex("606162636465666768696a6b6c6d6e6f"));

    /** Their tree heads for sizes 1 to 8. */
    private static final List<String> ROOTS = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    private static NodeStore store(List<byte[]> leaves) {
        NodeStore store = new NodeStore(Math.max(1, leaves.size()));
        leaves.forEach(store::append);
        return store;
    }

    @Test
    void emptyTreeHeadIsTheHashOfNothing() {
        assertEquals(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Hashes.hex(CompactRange.empty().root()));
    }

    @Test
    void treeHeadsMatchThePublishedVectors() {
        for (int size = 1; size <= 8; size++) {
            NodeStore store = store(LEAVES.subList(0, size));
            assertEquals(ROOTS.get(size - 1), Hashes.hex(store.root()), "compact range, size " + size);
            assertEquals(
                    ROOTS.get(size - 1), Hashes.hex(TreeMath.root(size, store::get)), "stored nodes, size " + size);
        }
    }

    @Test
    void inclusionProofMatchesThePublishedVector() {
        NodeStore store = store(LEAVES);
        List<byte[]> proof = Proofs.inclusionProof(0, 8, store::get);
        assertEquals(
                List.of(
                        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
                proof.stream().map(Hashes::hex).toList());
        assertTrue(Proofs.verifyInclusion(0, 8, Hashes.leaf(LEAVES.get(0)), proof, hex(ROOTS.get(7))));
    }

    @Test
    void consistencyProofsMatchThePublishedVectors() {
        NodeStore store = store(LEAVES);
        assertEquals(
                List.of(
                        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
                Proofs.consistencyProof(6, 8, store::get).stream()
                        .map(Hashes::hex)
                        .toList());
        List<byte[]> twoToFive = Proofs.consistencyProof(2, 5, store::get);
        assertEquals(
                List.of(
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                twoToFive.stream().map(Hashes::hex).toList());
        assertTrue(Proofs.verifyConsistency(2, 5, hex(ROOTS.get(1)), hex(ROOTS.get(4)), twoToFive));
        assertFalse(Proofs.verifyConsistency(2, 5, hex(ROOTS.get(2)), hex(ROOTS.get(4)), twoToFive));
    }

    @Test
    void everyProofOfEveryTreeUpTo70LeavesEqualsTheRfcDefinitionAndVerifies() {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            leaves.add(("leaf " + i).getBytes(StandardCharsets.UTF_8));
        }
        NodeStore store = store(leaves);
        for (int n = 1; n <= 70; n++) {
            List<byte[]> d = leaves.subList(0, n);
            byte[] root = ReferenceTree.mth(d);
            assertArrayEquals(root, TreeMath.root(n, store::get), "root " + n);
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = Proofs.inclusionProof(m, n, store::get);
                assertEqualHashes(ReferenceTree.path(m, d), proof, "inclusion " + m + " in " + n);
                assertTrue(Proofs.verifyInclusion(m, n, Hashes.leaf(d.get(m)), proof, root));
                assertFalse(Proofs.verifyInclusion(m, n, Hashes.leaf("forged".getBytes()), proof, root));
            }
            for (int m = 0; m <= n; m++) {
                List<byte[]> proof = Proofs.consistencyProof(m, n, store::get);
                assertEqualHashes(ReferenceTree.proof(m, d), proof, "consistency " + m + " to " + n);
                byte[] oldRoot = ReferenceTree.mth(d.subList(0, m));
                assertTrue(Proofs.verifyConsistency(m, n, oldRoot, root, proof), "consistency " + m + " to " + n);
                if (m > 0 && m < n) {
                    byte[] forged = ReferenceTree.mth(leaves.subList(1, m + 1));
                    assertFalse(Proofs.verifyConsistency(m, n, forged, root, proof));
                }
            }
        }
    }

    @Test
    void proofsAtAMillionLeavesReadLogarithmicallyManyNodesAndVerify() {
        int size = 1 << 20 | 12_345;
        NodeStore store = new NodeStore(size);
        for (int i = 0; i < size; i++) {
            store.append(("entry " + i).getBytes(StandardCharsets.UTF_8));
        }
        byte[] root = TreeMath.root(size, store::get);
        assertArrayEquals(store.root(), root);
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int index = random.nextInt(size);
            assertTrue(Proofs.inclusionNodes(index, size).size() <= 2 * 21, "O(log n) node reads");
            List<byte[]> proof = Proofs.inclusionProof(index, size, store::get);
            assertTrue(Proofs.verifyInclusion(
                    index, size, Hashes.leaf(("entry " + index).getBytes(StandardCharsets.UTF_8)), proof, root));

            int older = 1 + random.nextInt(size - 1);
            assertTrue(Proofs.consistencyNodes(older, size).size() <= 2 * 21, "O(log n) node reads");
            List<byte[]> consistency = Proofs.consistencyProof(older, size, store::get);
            assertTrue(Proofs.verifyConsistency(older, size, TreeMath.root(older, store::get), root, consistency));
        }
    }

    private static void assertEqualHashes(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(
                expected.stream().map(Hashes::hex).toList(),
                actual.stream().map(Hashes::hex).toList(),
                what);
    }
}
