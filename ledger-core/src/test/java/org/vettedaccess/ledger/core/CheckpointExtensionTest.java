package org.vettedaccess.ledger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Checkpoint#isExtendedBy}, the one "this checkpoint extends that one" rule of the receipt checks and the
 * regulator's page: a table of an honest log {@code a} and a fork {@code b} (other leaves from index 3 on).
 */
class CheckpointExtensionTest {

    private static final String ORIGIN = "test.example/log";

    /** A log of {@code size} leaves; from index {@code forkAt} on its leaves carry {@code salt}. */
    private record Log(Checkpoint checkpoint, NodeStore nodes) {
        static Log of(String origin, int size, String salt, int forkAt) {
            NodeStore nodes = new NodeStore(64);
            for (int i = 0; i < size; i++) {
                nodes.append(("leaf " + i + (i >= forkAt ? " " + salt : "")).getBytes(StandardCharsets.UTF_8));
            }
            return new Log(new Checkpoint(origin, size, nodes.root()), nodes);
        }

        static Log honest(int size) {
            return of(ORIGIN, size, "a", Integer.MAX_VALUE);
        }

        static Log fork(int size) {
            return of(ORIGIN, size, "b", 3);
        }

        /** The consistency proof from {@code from} to this tree, from this tree's own nodes. */
        List<byte[]> proofFrom(long from) {
            return Proofs.consistencyProof(from, checkpoint.size(), nodes::get);
        }
    }

    static Stream<Arguments> table() {
        Log a5 = Log.honest(5);
        Log a8 = Log.honest(8);
        Log a13 = Log.honest(13);
        Log b5 = Log.fork(5);
        Log b8 = Log.fork(8);
        Log other = Log.of("other.example/log", 8, "a", Integer.MAX_VALUE);
        return Stream.of(
                Arguments.of("the same tree", a5, a5, null, true),
                Arguments.of("a larger tree with its consistency proof", a5, a8, a8.proofFrom(5), true),
                Arguments.of("a much larger tree with its consistency proof", a5, a13, a13.proofFrom(5), true),
                Arguments.of("from a power-of-two size", a8, a13, a13.proofFrom(8), true),
                Arguments.of("from the empty tree", Log.honest(0), a8, List.of(), true),
                Arguments.of("the same size, another root (a fork)", a5, b5, null, false),
                Arguments.of("a fork of the same size the other way round", b8, a8, null, false),
                Arguments.of("a larger fork with its own consistency proof", a5, b8, b8.proofFrom(5), false),
                Arguments.of("a larger fork with the honest log's proof", a5, b8, a8.proofFrom(5), false),
                Arguments.of("a larger tree with no proof", a5, a8, List.of(), false),
                Arguments.of("a larger tree with a proof from another size", a5, a8, a8.proofFrom(4), false),
                Arguments.of("a larger tree and no proof to be had", a5, a8, null, false),
                Arguments.of("a smaller tree", a8, a5, a8.proofFrom(5), false),
                Arguments.of("the same tree of another log", a8, other, null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void isExtendedBy(String name, Log earlier, Log later, List<byte[]> proof, boolean expected) {
        AtomicInteger asked = new AtomicInteger();
        Supplier<List<byte[]>> supplier = () -> {
            asked.incrementAndGet();
            return proof;
        };
        assertEquals(expected, earlier.checkpoint().isExtendedBy(later.checkpoint(), supplier), name);
        if (earlier.checkpoint().size() >= later.checkpoint().size()) {
            assertEquals(0, asked.get(), "no proof is fetched unless the later tree is larger: " + name);
        }
    }

    @ParameterizedTest(name = "a checkpoint of size {0} extends itself and no same-size fork")
    @MethodSource("sizes")
    void sameSize(int size) {
        Checkpoint honest = Log.honest(size).checkpoint();
        assertTrue(honest.isExtendedBy(Checkpoint.parse(honest.body()), () -> {
            throw new AssertionError("not asked");
        }));
        assertFalse(honest.isExtendedBy(Log.fork(size).checkpoint(), List::of));
    }

    static Stream<Integer> sizes() {
        return Stream.of(4, 5, 7, 8, 33);
    }
}
