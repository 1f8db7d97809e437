package org.vettedaccess.ledger.append;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.ledger.AppendResult;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.Jcs;
import org.vettedaccess.ledger.core.NodeId;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.entry.EntryType;
import org.vettedaccess.ledger.entry.EntryValidator;
import org.vettedaccess.ledger.entry.PreparedEntry;
import org.vettedaccess.ledger.entry.Pseudonyms;
import org.vettedaccess.ledger.tree.NodeRepository;
import org.vettedaccess.ledger.tree.TreeReader;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * The sequencer over a real PostgreSQL (embedded, no Docker) with the ledger's own migrations: group commit takes
 * what is queued into one transaction up to the batch limit, indices are contiguous and durable, idempotency keys
 * make a retry return the original index, a key reused for another entry is refused whole without failing the
 * rest of its batch, and the stored tree's root is the RFC 9162 root of the leaves.
 */
class SequencerTest {

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private SimpleMeterRegistry meters;
    private Sequencer sequencer;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        DataSource admin = postgres.getPostgresDatabase();
        Flyway.configure()
                .dataSource(admin)
                .schemas("ledger")
                .defaultSchema("ledger")
                .placeholders(Map.of("appender_role", "ledger_appender", "appender_password", "demo-only"))
                .load()
                .migrate();
        dataSource = postgres.getDatabase("postgres", "postgres", Map.of("currentSchema", "ledger"));
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE leaves, tree_nodes, disclosures CASCADE");
        }
        meters = new SimpleMeterRegistry();
    }

    @AfterEach
    void stopSequencer() {
        if (sequencer != null) {
            sequencer.stop(null);
        }
    }

    private Sequencer sequencer(int maxBatch) {
        sequencer = new Sequencer(
                dataSource,
                new NodeRepository(),
                config(maxBatch),
                Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC),
                meters);
        return sequencer;
    }

    private static PreparedEntry entry(String key, String note) {
        Map<String, Object> fields = Map.of("subject", "ps-1", "note", note);
        return new PreparedEntry(
                key,
                EntryType.USAGE,
                fields,
                Jcs.object(fields),
                Hashes.sha256((key + note).getBytes(StandardCharsets.UTF_8)),
                "ps-1",
                null);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private DistributionSummary batches() {
        return meters.find("ledger.append.batch.entries").summary();
    }

    @Test
    void requestsQueuedTogetherAreStoredInOneTransactionUpToTheBatchLimit() throws Exception {
        Sequencer sequencer = sequencer(10);
        // Queued before the sequencer runs, so it finds all of them waiting.
        List<CompletionStage<List<AppendResult>>> results = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            results.add(sequencer.submit(List.of(entry("k" + i, "n" + i)), "gateway"));
        }
        sequencer.start(null);
        Set<Long> indices = new TreeSet<>();
        for (CompletionStage<List<AppendResult>> result : results) {
            AppendResult stored = await(result).get(0);
            assertFalse(stored.duplicate());
            indices.add(stored.index());
        }
        assertEquals(35, indices.size());
        assertEquals(0L, ((TreeSet<Long>) indices).first());
        assertEquals(34L, ((TreeSet<Long>) indices).last(), "contiguous from 0");
        assertEquals(4, batches().count(), "35 requests in transactions of at most 10");
        assertEquals(10, batches().max());
        assertEquals(35, storedLeaves());
    }

    @Test
    void aRetryWithTheSameKeyReturnsTheOriginalIndexAndStoresNothing() throws Exception {
        Sequencer sequencer = sequencer(100);
        sequencer.start(null);
        AppendResult first =
                await(sequencer.submit(List.of(entry("same", "a")), "gateway")).get(0);
        await(sequencer.submit(List.of(entry("other", "b")), "gateway"));
        AppendResult retry =
                await(sequencer.submit(List.of(entry("same", "a")), "gateway")).get(0);

        assertEquals(first.index(), retry.index());
        assertEquals(first.leafHash(), retry.leafHash());
        assertTrue(retry.duplicate());
        assertEquals(2, storedLeaves());
    }

    @Test
    void keysAreScopedPerAppender() throws Exception {
        Sequencer sequencer = sequencer(100);
        sequencer.start(null);
        AppendResult byGateway =
                await(sequencer.submit(List.of(entry("k", "a")), "gateway")).get(0);
        AppendResult byPolicy = await(sequencer.submit(List.of(entry("k", "a")), "access-policy"))
                .get(0);
        assertFalse(byPolicy.duplicate(), "another appender cannot pre-claim a key");
        assertEquals(byGateway.index() + 1, byPolicy.index());
    }

    @Test
    void aKeyReusedForAnotherEntryIsRefusedWholeAndTheRestOfItsBatchIsStored() throws Exception {
        Sequencer sequencer = sequencer(100);
        sequencer.start(null);
        await(sequencer.submit(List.of(entry("taken", "original")), "gateway"));
        sequencer.stop(null);

        // Both queued into one transaction: the conflicting request (a new entry and a reused key) and a good one.
        meters = new SimpleMeterRegistry();
        Sequencer next = sequencer(100);
        CompletionStage<List<AppendResult>> conflicting =
                next.submit(List.of(entry("fresh", "x"), entry("taken", "changed")), "gateway");
        CompletionStage<List<AppendResult>> good = next.submit(List.of(entry("good", "y")), "gateway");
        next.start(null);

        ExecutionException refused = assertThrows(
                ExecutionException.class,
                () -> conflicting.toCompletableFuture().get(10, TimeUnit.SECONDS));
        ProblemException problem = assertInstanceOf(ProblemException.class, refused.getCause());
        assertEquals(ProblemType.CONFLICT, problem.type());
        assertEquals(1, await(good).get(0).index(), "the good request takes the next index; 'fresh' took none");
        assertEquals(2, storedLeaves());
        assertEquals(1, batches().count(), "one transaction");
    }

    @Test
    void theStoredTreeIsTheRfc9162TreeOfTheLeaves() throws Exception {
        Sequencer sequencer = sequencer(7);
        List<CompletionStage<List<AppendResult>>> results = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            results.add(sequencer.submit(List.of(entry("t" + i, "n" + i), entry("u" + i, "m" + i)), "gateway"));
        }
        sequencer.start(null);
        List<byte[]> leafHashes = new ArrayList<>(Collections.nCopies(46, (byte[]) null));
        for (CompletionStage<List<AppendResult>> result : results) {
            for (AppendResult stored : await(result)) {
                leafHashes.set((int) stored.index(), Base64.getDecoder().decode(stored.leafHash()));
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            assertEquals(46, TreeReader.size(connection));
            for (long size : new long[] {1, 2, 7, 8, 13, 46}) {
                assertArrayEquals(
                        mth(leafHashes.subList(0, (int) size)),
                        new TreeReader(null, new NodeRepository()).root(connection, size),
                        "root of the first " + size + " leaves");
            }
            // Level 0 is each leaf's leaf_hash (V5): tree_nodes holds only the 46 - popcount(46) parents, and every
            // inclusion proof, whose first hash is a level-0 sibling, reads it from leaves.
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*), min(level) FROM tree_nodes")) {
                rows.next();
                assertEquals(46 - Long.bitCount(46), rows.getLong(1));
                assertEquals(1, rows.getInt(2));
            }
            byte[] root = mth(leafHashes);
            for (long index = 0; index < 46; index++) {
                Map<NodeId, byte[]> read = new NodeRepository().read(connection, Proofs.inclusionNodes(index, 46));
                List<byte[]> proof = Proofs.inclusionProof(index, 46, read::get);
                assertTrue(
                        Proofs.verifyInclusion(index, 46, leafHashes.get((int) index), proof, root),
                        "inclusion of " + index);
            }
        }
    }

    /**
     * Issue 25: the leaf is made from the fields the validator canonicalised once, and its bytes are exactly the
     * RFC 8785 form of fields, type and loggedAt canonicalised whole; the stored hash is the leaf hash of them.
     */
    @Test
    void theLeafBytesAreTheWholeEntrysCanonicalForm() throws Exception {
        EntryValidator validator = new EntryValidator(new Pseudonyms(config(10)));
        ObjectNode usage = new ObjectMapper()
                .createObjectNode()
                .put("subject", "researcher-1")
                .put("model", "sim-small\u00e9")
                .put("endpoint", "/v1/chat/completions")
                .put("grantId", "g-1")
                .put("grantLeaf", 0)
                .put("decisionId", "d-1")
                .put("policyVersion", "p-1")
                .put("inputTokens", 12)
                .put("outputTokens", 24)
                .put("status", "ok")
                .put("latencyMs", 3)
                .put("startedAt", "2026-11-22T10:00:00Z")
                .put("finishedAt", "2026-11-22T10:00:01Z")
                .put("promptCommitment", "ab".repeat(32));
        PreparedEntry entry = validator.prepare("whole-0001", "usage", usage, "entries[0]");
        Sequencer sequencer = sequencer(10);
        sequencer.start(null);
        AppendResult stored = await(sequencer.submit(List.of(entry), "gateway")).get(0);
        Map<String, Object> whole = new java.util.HashMap<>(entry.fields());
        whole.put("type", "usage");
        whole.put("loggedAt", "2026-12-01T00:00:00Z");
        byte[] expected = Jcs.canonicalize(whole);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT entry, leaf_hash FROM leaves WHERE idx = 0")) {
            row.next();
            assertArrayEquals(expected, row.getBytes(1));
            assertArrayEquals(Hashes.leaf(expected), row.getBytes(2));
        }
        assertArrayEquals(Hashes.leaf(expected), Base64.getDecoder().decode(stored.leafHash()));
    }

    /** RFC 9162 §2.1.1, written out: the split is the largest power of two smaller than n. */
    private static byte[] mth(List<byte[]> leaves) {
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return Hashes.node(mth(leaves.subList(0, k)), mth(leaves.subList(k, leaves.size())));
    }

    private static long storedLeaves() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM leaves")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static LedgerConfig config(int maxBatch) {
        return new LedgerConfig() {
            @Override
            public String origin() {
                return "test/ledger";
            }

            @Override
            public Optional<String> signingKey() {
                return Optional.empty();
            }

            @Override
            public Optional<Path> signingKeyFile() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> previousVerifierKeys() {
                return Optional.empty();
            }

            @Override
            public String pseudonymKey() {
                return "sequencer-test-pseudonym-key";
            }

            @Override
            public Duration checkpointInterval() {
                return Duration.ofSeconds(10);
            }

            @Override
            public int maxBatch() {
                return maxBatch;
            }

            @Override
            public int maxEntriesPerRequest() {
                return 1000;
            }

            @Override
            public int maxPage() {
                return 500;
            }

            @Override
            public Optional<List<String>> scopeTagKeys() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> witnesses() {
                return Optional.empty();
            }

            @Override
            public Duration witnessTimeout() {
                return Duration.ofSeconds(5);
            }
        };
    }
}
