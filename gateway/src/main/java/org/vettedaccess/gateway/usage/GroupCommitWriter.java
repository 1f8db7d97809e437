package org.vettedaccess.gateway.usage;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.jboss.logging.Logger;
import org.vettedaccess.gateway.config.GatewayConfig;

/**
 * Group commit for the two records every model call writes: its PENDING record (with the budget reservation) before
 * the forward, and its completion after. Calls queue their statement and wait; a writer takes everything queued,
 * runs it in one transaction, and answers every caller only after that transaction has committed. So each record is
 * as durable as before (nothing is forwarded before its PENDING row is on disk), while one commit, and one WAL
 * flush, serves many calls instead of one.
 *
 * <p>Two writers, one for the PENDING records and one for completions and withdrawals, so a call waiting to be
 * forwarded never waits behind completions. Within a transaction the budget rows are touched in grant order, so
 * the two writers cannot deadlock on them.
 */
@ApplicationScoped
public class GroupCommitWriter implements RecordWriter {

    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class);

    private static final String INSERT = "INSERT INTO outbox (id, kind, state, subject, model, grant_id, budgeted,"
            + " reserved, entry, created_at) VALUES (?, 'usage', 'PENDING', ?, ?, ?, false, ?, ?::jsonb, ?)";
    // The budget row is made on first use; a reservation succeeds only if spent + reserved stays within it.
    private static final String RESERVE_AND_INSERT = "WITH budget AS ("
            + " INSERT INTO grant_budgets AS b (grant_id, budget, spent, reserved)"
            + " SELECT ?, ?, 0, ? WHERE ? <= ?"
            + " ON CONFLICT (grant_id) DO UPDATE SET reserved = b.reserved + EXCLUDED.reserved,"
            + " budget = EXCLUDED.budget"
            + " WHERE b.spent + b.reserved + EXCLUDED.reserved <= EXCLUDED.budget"
            + " RETURNING 1)"
            + " INSERT INTO outbox (id, kind, state, subject, model, grant_id, budgeted, reserved,"
            + " entry, created_at)"
            + " SELECT ?, 'usage', 'PENDING', ?, ?, ?, true, ?, ?::jsonb, ? FROM budget";
    private static final String WITHDRAW = "DELETE FROM outbox WHERE id = ? AND state = 'PENDING'";

    /** A PENDING record to write; {@code budget} null when the grant has none. */
    record Open(
            UUID id,
            String subject,
            String model,
            UUID grantId,
            Long budget,
            long reserve,
            String entry,
            Timestamp at,
            CompletableFuture<Boolean> done) {}

    /** A completion ({@code entry} set) or the withdrawal of a call never forwarded ({@code entry} null). */
    record Close(
            UUID id,
            UUID grantId,
            long charged,
            String entry,
            long inputTokens,
            long outputTokens,
            Timestamp at,
            CompletableFuture<Boolean> done) {}

    private final AgroalDataSource dataSource;
    private final int maxBatch;
    private final DistributionSummary batchSizes;
    private final BlockingQueue<Open> opens = new LinkedBlockingQueue<>();
    private final BlockingQueue<Close> closes = new LinkedBlockingQueue<>();
    private volatile boolean running = true;
    private final List<Thread> writers = new ArrayList<>();

    public GroupCommitWriter(AgroalDataSource dataSource, GatewayConfig config, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.maxBatch = config.outbox().writeBatchSize();
        this.batchSizes = DistributionSummary.builder("gateway.outbox.write.batch")
                .description("Usage records written in one transaction (group commit)")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        writers.add(Thread.ofPlatform()
                .daemon()
                .name("outbox-writer-open")
                .start(() -> loop(opens, this::writeOpens, new HeldConnection())));
        writers.add(Thread.ofPlatform()
                .daemon()
                .name("outbox-writer-close")
                .start(() -> loop(closes, this::writeCloses, new HeldConnection())));
    }

    /**
     * A writer keeps one connection between transactions: borrowing it from the pool for every transaction cost a
     * validation round trip to PostgreSQL each time (the pool validates on borrow), one per call at low load. It is
     * validated only after it sat idle, and dropped after any failure, so a database restart costs at most the one
     * transaction that finds the connection broken (its calls are refused, not forwarded).
     */
    private final class HeldConnection {
        private static final long IDLE_BEFORE_CHECK_NANOS = 1_000_000_000L;
        private Connection connection;
        private long lastUsedNanos;

        Connection get() throws SQLException {
            if (connection != null && System.nanoTime() - lastUsedNanos > IDLE_BEFORE_CHECK_NANOS) {
                boolean valid;
                try {
                    valid = connection.isValid(2);
                } catch (SQLException e) {
                    valid = false;
                }
                if (!valid) {
                    drop();
                }
            }
            if (connection == null) {
                try {
                    connection = dataSource.getConnection();
                } catch (SQLException e) {
                    throw new Unreachable(e);
                }
                connection.setAutoCommit(false);
            }
            return connection;
        }

        void used() {
            lastUsedNanos = System.nanoTime();
        }

        void drop() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // already broken; the pool discards it
                }
                connection = null;
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        writers.forEach(Thread::interrupt);
        // Nobody waits forever: calls still queued are refused (not forwarded) or keep their PENDING worst case.
        SQLException stopping = new SQLException("the gateway is stopping");
        opens.forEach(open -> open.done().completeExceptionally(stopping));
        closes.forEach(close -> close.done().completeExceptionally(stopping));
    }

    @Override
    public CompletableFuture<Boolean> openLater(
            UUID id, String subject, String model, UUID grantId, Long budget, long reserve, String pendingEntry) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new SQLException("the gateway is stopping"));
            return done;
        }
        opens.add(new Open(
                id, subject, model, grantId, budget, reserve, pendingEntry, Timestamp.from(Instant.now()), done));
        return done;
    }

    @Override
    public void close(UUID id, UUID grantId, long inputTokens, long outputTokens, long charged, String entry)
            throws SQLException {
        await(closeLater(id, grantId, inputTokens, outputTokens, charged, entry));
    }

    @Override
    public CompletableFuture<Boolean> closeLater(
            UUID id, UUID grantId, long inputTokens, long outputTokens, long charged, String entry) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new SQLException("the gateway is stopping"));
            return done;
        }
        closes.add(
                new Close(id, grantId, charged, entry, inputTokens, outputTokens, Timestamp.from(Instant.now()), done));
        return done;
    }

    @Override
    public void withdraw(UUID id, UUID grantId) throws SQLException {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        closes.add(new Close(id, grantId, 0, null, 0, 0, null, done));
        await(done);
    }

    private static boolean await(CompletableFuture<Boolean> done) throws SQLException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the outbox");
        }
    }

    /** Writes a batch in the given transaction; returns what answers its callers once that has committed. */
    private interface Batch<T> {
        Runnable write(Connection connection, List<T> batch) throws SQLException;
    }

    /** Takes what is queued (at least one), writes it in one transaction, then answers the waiting callers. */
    private <T> void loop(BlockingQueue<T> queue, Batch<T> writer, HeldConnection held) {
        List<T> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                held.drop();
                return;
            }
            queue.drainTo(batch, maxBatch - 1);
            batchSizes.record(batch.size());
            try {
                transaction(batch, writer, held);
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("could not write %d usage records together: %s", batch.size(), e.toString());
                if (batch.size() == 1 || unreachable(e)) {
                    batch.forEach(item -> fail(item, e));
                } else {
                    // One bad record must not fail the others: each alone, in its own transaction; but if the
                    // database is gone, the rest fail at once instead of each waiting for a connection in turn.
                    Exception gone = null;
                    for (T item : batch) {
                        if (gone != null) {
                            fail(item, gone);
                            continue;
                        }
                        try {
                            transaction(new ArrayList<>(List.of(item)), writer, held);
                        } catch (SQLException | RuntimeException alone) {
                            fail(item, alone);
                            gone = unreachable(alone) ? alone : null;
                        }
                    }
                }
            }
            batch.clear();
        }
    }

    /** The database could not be reached (no connection, or a connection-class SQL state): not the records' fault. */
    private static boolean unreachable(Exception e) {
        return e instanceof Unreachable
                || (e instanceof SQLException sql
                        && sql.getSQLState() != null
                        && sql.getSQLState().startsWith("08"));
    }

    /** No connection could be had. */
    private static final class Unreachable extends SQLException {
        Unreachable(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
        }
    }

    private <T> void transaction(List<T> batch, Batch<T> writer, HeldConnection held) throws SQLException {
        Connection connection = held.get();
        Runnable answer;
        try {
            answer = writer.write(connection, batch);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; dropped below
            }
            held.drop();
            throw e;
        } finally {
            held.used();
        }
        answer.run();
    }

    private static void fail(Object item, Exception e) {
        (item instanceof Open open ? open.done() : ((Close) item).done()).completeExceptionally(e);
    }

    private Runnable writeOpens(Connection connection, List<Open> batch) throws SQLException {
        batch.sort(Comparator.comparing(Open::grantId, Comparator.nullsFirst(Comparator.naturalOrder())));
        List<Open> plain = new ArrayList<>();
        List<Open> budgeted = new ArrayList<>();
        for (Open open : batch) {
            (open.budget() == null ? plain : budgeted).add(open);
        }
        if (!plain.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (Open open : plain) {
                    insert.setObject(1, open.id());
                    insert.setString(2, open.subject());
                    insert.setString(3, open.model());
                    insert.setObject(4, open.grantId());
                    insert.setLong(5, open.reserve());
                    insert.setString(6, open.entry());
                    insert.setTimestamp(7, open.at());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        int[] written = new int[0];
        if (!budgeted.isEmpty()) {
            // Statements in a batch run in order, each seeing the reservations before it.
            try (PreparedStatement reserve = connection.prepareStatement(RESERVE_AND_INSERT)) {
                for (Open open : budgeted) {
                    reserve.setObject(1, open.grantId());
                    reserve.setLong(2, open.budget());
                    reserve.setLong(3, open.reserve());
                    reserve.setLong(4, open.reserve());
                    reserve.setLong(5, open.budget());
                    reserve.setObject(6, open.id());
                    reserve.setString(7, open.subject());
                    reserve.setString(8, open.model());
                    reserve.setObject(9, open.grantId());
                    reserve.setLong(10, open.reserve());
                    reserve.setString(11, open.entry());
                    reserve.setTimestamp(12, open.at());
                    reserve.addBatch();
                }
                written = reserve.executeBatch();
            }
        }
        int[] reserved = written;
        return () -> {
            plain.forEach(open -> open.done().complete(true));
            for (int i = 0; i < budgeted.size(); i++) {
                budgeted.get(i).done().complete(reserved[i] == 1);
            }
        };
    }

    private Runnable writeCloses(Connection connection, List<Close> batch) throws SQLException {
        batch.sort(Comparator.comparing(Close::grantId, Comparator.nullsFirst(Comparator.naturalOrder())));
        try (PreparedStatement settle = connection.prepareStatement(OutboxRepository.SETTLE)) {
            for (Close close : batch) {
                settle.setLong(1, close.charged());
                settle.setObject(2, close.id());
                settle.addBatch();
            }
            settle.executeBatch();
        }
        List<Close> completions = batch.stream().filter(c -> c.entry() != null).toList();
        List<Close> withdrawals = batch.stream().filter(c -> c.entry() == null).toList();
        if (!completions.isEmpty()) {
            try (PreparedStatement complete = connection.prepareStatement(OutboxRepository.COMPLETE)) {
                for (Close close : completions) {
                    complete.setString(1, close.entry());
                    complete.setLong(2, close.inputTokens());
                    complete.setLong(3, close.outputTokens());
                    complete.setTimestamp(4, close.at());
                    complete.setObject(5, close.id());
                    complete.addBatch();
                }
                complete.executeBatch();
            }
        }
        if (!withdrawals.isEmpty()) {
            try (PreparedStatement withdraw = connection.prepareStatement(WITHDRAW)) {
                for (Close close : withdrawals) {
                    withdraw.setObject(1, close.id());
                    withdraw.addBatch();
                }
                withdraw.executeBatch();
            }
        }
        return () -> batch.forEach(close -> close.done().complete(true));
    }
}
