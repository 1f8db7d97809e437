package org.vettedaccess.ledger.append;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.vettedaccess.contracts.ledger.AppendResult;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.core.CompactRange;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NodeId;
import org.vettedaccess.ledger.entry.PreparedEntry;
import org.vettedaccess.ledger.tree.NodeRepository;
import org.vettedaccess.ledger.tree.TreeReader;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * The sequence and integrate stages. One thread takes waiting append requests off a queue and stores as many
 * as it can in one transaction (group commit): it assigns contiguous indices, writes the leaves, and writes
 * the tree nodes above the leaves that the new leaves complete. A request's future completes only after the commit, so an index
 * returned is durable. Idempotency keys are scoped per appender (the token's client id). A PostgreSQL
 * advisory lock serialises appenders, so replicas of the ledger can share a database, and the tree's right edge is re-read from the database in every transaction.
 */
@ApplicationScoped
public class Sequencer {

    private static final Logger LOG = Logger.getLogger(Sequencer.class);
    private static final long APPEND_LOCK = 0x5641_4C45_4447_4552L; // "VALEDGER"

    /** One append request: its entries get consecutive indices, or the whole request fails. */
    private record Pending(
            List<PreparedEntry> entries, String appendedBy, CompletableFuture<List<AppendResult>> result) {}

    /** A leaf row to insert. */
    private record LeafRow(long index, PreparedEntry entry, byte[] bytes, byte[] leafHash, String appendedBy) {}

    /** A leaf stored earlier under an idempotency key. */
    private record Stored(long index, byte[] requestHash, byte[] leafHash) {}

    /** An idempotency key in its appender's scope: one appender cannot pre-claim another's key. */
    private record ScopedKey(String appendedBy, String key) {}

    private final DataSource dataSource;
    private final NodeRepository nodes;
    private final LedgerConfig config;
    private final Clock clock;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final DistributionSummary batchEntries;
    private final Timer commitTime;
    /** Requests are taken from construction on and wait in the queue until the worker starts. */
    private volatile boolean running = true;

    private Thread worker;

    public Sequencer(
            DataSource dataSource, NodeRepository nodes, LedgerConfig config, Clock clock, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.nodes = nodes;
        this.config = config;
        this.clock = clock;
        this.batchEntries = DistributionSummary.builder("ledger.append.batch.entries")
                .description("Entries stored per append transaction (group commit)")
                .register(meters);
        this.commitTime = Timer.builder("ledger.append.transaction")
                .description("Time of one append transaction, commit included")
                .register(meters);
    }

    void start(@Observes StartupEvent event) {
        worker = Thread.ofPlatform().name("ledger-sequencer").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    public CompletionStage<List<AppendResult>> submit(List<PreparedEntry> entries, String appendedBy) {
        CompletableFuture<List<AppendResult>> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(new ProblemException(ProblemType.UNAVAILABLE, "The ledger is stopping."));
            return result;
        }
        queue.add(new Pending(entries, appendedBy, result));
        return result;
    }

    private void run() {
        while (running) {
            List<Pending> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            int entries = batch.get(0).entries().size();
            while (entries < config.maxBatch() && queue.peek() != null) {
                Pending next = queue.poll();
                batch.add(next);
                entries += next.entries().size();
            }
            batchEntries.record(entries);
            Timer.Sample sample = Timer.start();
            commit(batch);
            sample.stop(commitTime);
        }
        for (Pending pending : queue) {
            pending.result()
                    .completeExceptionally(new ProblemException(ProblemType.UNAVAILABLE, "The ledger is stopping."));
        }
    }

    private void commit(List<Pending> batch) {
        // By identity: a record's hashCode would hash every entry's fields.
        Map<Pending, List<AppendResult>> results = new IdentityHashMap<>();
        Map<Pending, ProblemException> refused = new IdentityHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                sequence(connection, batch, results, refused);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "an append transaction of %d requests failed; nothing of it was stored", batch.size());
            ProblemException unavailable = new ProblemException(
                    ProblemType.UNAVAILABLE,
                    "The ledger could not store the entries; retry with the same idempotency keys.");
            batch.forEach(pending -> pending.result().completeExceptionally(unavailable));
            return;
        }
        for (Pending pending : batch) {
            if (refused.containsKey(pending)) {
                pending.result().completeExceptionally(refused.get(pending));
            } else {
                pending.result().complete(results.get(pending));
            }
        }
    }

    private void sequence(
            Connection connection,
            List<Pending> batch,
            Map<Pending, List<AppendResult>> results,
            Map<Pending, ProblemException> refused)
            throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, APPEND_LOCK);
            lock.execute();
        }
        Map<ScopedKey, Stored> stored = findByKeys(connection, batch);
        long next = TreeReader.size(connection);
        Map<NodeId, byte[]> edge = nodes.read(connection, CompactRange.edgeNodes(next));
        CompactRange tree = CompactRange.of(next, edge::get);
        Instant loggedAt = clock.instant();
        String logged = loggedAt.toString();

        List<LeafRow> leafRows = new ArrayList<>();
        List<CompactRange.StoredNode> newNodes = new ArrayList<>();
        for (Pending pending : batch) {
            ProblemException conflict = conflict(pending, stored);
            if (conflict != null) {
                refused.put(pending, conflict);
                continue;
            }
            List<AppendResult> out = new ArrayList<>();
            for (PreparedEntry entry : pending.entries()) {
                ScopedKey key = new ScopedKey(pending.appendedBy(), entry.idempotencyKey());
                Stored earlier = stored.get(key);
                if (earlier != null) {
                    out.add(new AppendResult(earlier.index(), base64(earlier.leafHash()), true));
                    continue;
                }
                // The fields as the validator canonicalised them, with the ledger's two members merged in.
                byte[] bytes =
                        entry.canonical().plus(Map.of("type", entry.type().wireName(), "loggedAt", logged));
                byte[] leafHash = Hashes.leaf(bytes);
                long index = tree.size();
                newNodes.addAll(tree.append(leafHash));
                leafRows.add(new LeafRow(index, entry, bytes, leafHash, pending.appendedBy()));
                stored.put(key, new Stored(index, entry.requestHash(), leafHash));
                out.add(new AppendResult(index, base64(leafHash), false));
            }
            results.put(pending, out);
        }
        insertLeaves(connection, leafRows, loggedAt);
        nodes.insert(connection, newNodes);
    }

    /** A request that reuses a key for a different entry is refused whole, before any of it is stored. */
    private static ProblemException conflict(Pending pending, Map<ScopedKey, Stored> stored) {
        Map<String, byte[]> inRequest = new HashMap<>();
        for (PreparedEntry entry : pending.entries()) {
            Stored earlier = stored.get(new ScopedKey(pending.appendedBy(), entry.idempotencyKey()));
            byte[] seen = inRequest.putIfAbsent(entry.idempotencyKey(), entry.requestHash());
            if ((earlier != null && !Arrays.equals(earlier.requestHash(), entry.requestHash()))
                    || (seen != null && !Arrays.equals(seen, entry.requestHash()))) {
                return new ProblemException(
                        ProblemType.CONFLICT,
                        "The idempotency key '" + entry.idempotencyKey()
                                + "' was already used for a different entry; nothing of this request was stored.");
            }
        }
        return null;
    }

    /** The leaves stored earlier under the batch's keys, each looked up in its own appender's scope. */
    private static Map<ScopedKey, Stored> findByKeys(Connection connection, List<Pending> batch) throws SQLException {
        List<String> appenders = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        batch.forEach(pending -> pending.entries().forEach(entry -> {
            appenders.add(pending.appendedBy());
            keys.add(entry.idempotencyKey());
        }));
        Map<ScopedKey, Stored> stored = new HashMap<>();
        // Uses the unique index on (appended_by, idempotency_key) (V3 migration).
        try (PreparedStatement query = connection.prepareStatement("SELECT l.appended_by, l.idempotency_key, l.idx,"
                + " l.request_hash, l.leaf_hash FROM unnest(?::text[], ?::text[]) AS k(appended_by, idempotency_key)"
                + " JOIN leaves l ON l.appended_by = k.appended_by AND l.idempotency_key = k.idempotency_key")) {
            Array appendedBy = connection.createArrayOf("text", appenders.toArray());
            Array array = connection.createArrayOf("text", keys.toArray());
            query.setArray(1, appendedBy);
            query.setArray(2, array);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.put(
                            new ScopedKey(rows.getString(1), rows.getString(2)),
                            new Stored(rows.getLong(3), rows.getBytes(4), rows.getBytes(5)));
                }
            }
        }
        return stored;
    }

    private static void insertLeaves(Connection connection, List<LeafRow> rows, Instant loggedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO leaves (idx, idempotency_key,"
                + " request_hash, entry_type, subject, model, logged_at, entry, leaf_hash, appended_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Timestamp timestamp = Timestamp.from(loggedAt);
            for (LeafRow row : rows) {
                PreparedEntry entry = row.entry();
                insert.setLong(1, row.index());
                insert.setString(2, entry.idempotencyKey());
                insert.setBytes(3, entry.requestHash());
                insert.setString(4, entry.type().wireName());
                insert.setString(5, entry.subject());
                insert.setString(6, entry.model());
                insert.setTimestamp(7, timestamp);
                insert.setBytes(8, row.bytes());
                insert.setBytes(9, row.leafHash());
                insert.setString(10, row.appendedBy());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
