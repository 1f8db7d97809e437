package org.vettedaccess.gateway.usage;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.vettedaccess.gateway.config.GatewayConfig;
import org.vettedaccess.gateway.usage.RecordBatch.Close;
import org.vettedaccess.gateway.usage.RecordBatch.Open;
import org.vettedaccess.gateway.usage.RecordBatch.Queued;

/**
 * Group commit for the two records every model call writes: its PENDING record (with the budget reservation) before
 * the forward, and its completion after. Calls queue their statement and wait; a writer takes everything queued,
 * runs it in one transaction, and answers every caller only after that transaction has committed. So each record is
 * as durable as before (nothing is forwarded before its PENDING row is on disk), while one commit, and one WAL
 * flush, serves many calls instead of one.
 *
 * <p>The commit policy (ADR 0089): a PENDING record never waits for company. The writer of PENDING records
 * commits as soon as it has one, with whatever else is queued at that moment, including the completions queued
 * since its last transaction: nobody waits for a completion, so completions ride along with the next PENDING
 * records and share their WAL flush instead of flushing on their own (on the benchmark machine a flush takes 0.1 to
 * 4 ms, and a PENDING commit that arrived during a completion's flush waited for it and then flushed again). A
 * second writer commits the completions no PENDING transaction took within {@code completion-linger} (no calls
 * coming, or a completion whose budget row would break the lock order, {@link RecordBatch#mayFollow}), and
 * everything still queued when the gateway stops.
 */
@ApplicationScoped
public class GroupCommitWriter implements RecordWriter {

    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class);

    private final DataSource dataSource;
    private final int maxBatch;
    private final long lingerNanos;
    private final DistributionSummary batchSizes;
    private final Timer openWaits;
    private final BlockingQueue<Open> opens = new LinkedBlockingQueue<>();
    private final BlockingDeque<Close> closes = new LinkedBlockingDeque<>();
    private volatile boolean running = true;
    private Thread openWriter;
    private Thread closeWriter;

    @Inject
    public GroupCommitWriter(AgroalDataSource dataSource, GatewayConfig config, MeterRegistry metrics) {
        this(dataSource, config.outbox().writeBatchSize(), config.outbox().completionLinger(), metrics);
    }

    /** With its settings given one by one, for the tests against a real PostgreSQL. */
    GroupCommitWriter(DataSource dataSource, int maxBatch, Duration completionLinger, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.maxBatch = maxBatch;
        this.lingerNanos = completionLinger.toNanos();
        this.batchSizes = DistributionSummary.builder("gateway.outbox.write.batch")
                .description("Usage records written in one transaction (group commit)")
                .register(metrics);
        this.openWaits = Timer.builder("gateway.outbox.open.wait")
                .description("From a PENDING record queued to its transaction committed (the wait before the forward)")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        start();
    }

    void start() {
        openWriter =
                Thread.ofPlatform().daemon().name("outbox-writer-open").start(() -> openLoop(new HeldConnection()));
        closeWriter =
                Thread.ofPlatform().daemon().name("outbox-writer-close").start(() -> closeLoop(new HeldConnection()));
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
        stop();
    }

    void stop() {
        running = false;
        openWriter.interrupt();
        closeWriter.interrupt();
        try {
            // The completions still queued are written before the gateway goes (the close writer's last batches).
            closeWriter.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        long queued = System.nanoTime();
        opens.add(new Open(
                id, subject, model, grantId, budget, reserve, pendingEntry, Timestamp.from(Instant.now()), done));
        done.whenComplete((ok, failure) -> openWaits.record(System.nanoTime() - queued, TimeUnit.NANOSECONDS));
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
        closes.add(new Close(
                id,
                grantId,
                charged,
                entry,
                inputTokens,
                outputTokens,
                Timestamp.from(Instant.now()),
                System.nanoTime(),
                done));
        return done;
    }

    @Override
    public void withdraw(UUID id, UUID grantId) throws SQLException {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        closes.add(new Close(id, grantId, 0, null, 0, 0, null, System.nanoTime(), done));
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

    /**
     * Commits PENDING records as soon as there is one (never waiting for more), with every PENDING record and every
     * completion queued at that moment that keeps the budget rows in order.
     */
    private void openLoop(HeldConnection held) {
        List<Queued> batch = new ArrayList<>(maxBatch);
        List<Open> opened = new ArrayList<>(maxBatch);
        List<Close> queued = new ArrayList<>(maxBatch);
        while (running) {
            try {
                opened.add(opens.take());
            } catch (InterruptedException e) {
                held.drop();
                return;
            }
            opens.drainTo(opened, maxBatch - 1);
            closes.drainTo(queued, maxBatch - opened.size());
            UUID last = RecordBatch.lastBudgetRow(opened);
            batch.addAll(opened);
            for (int i = queued.size() - 1; i >= 0; i--) {
                Close close = queued.get(i);
                if (!RecordBatch.mayFollow(last, close)) {
                    // Back to the front, in its place, for the next transaction or the close writer.
                    closes.addFirst(close);
                }
            }
            queued.removeIf(close -> !RecordBatch.mayFollow(last, close));
            batch.addAll(queued);
            write(batch, held);
            batch.clear();
            opened.clear();
            queued.clear();
        }
    }

    /**
     * Commits the completions no PENDING transaction took within the linger; when the gateway stops, everything
     * still queued.
     */
    private void closeLoop(HeldConnection held) {
        List<Queued> batch = new ArrayList<>(maxBatch);
        try {
            while (running) {
                Close head = closes.takeFirst();
                closes.addFirst(head);
                long wait = head.queuedNanos() + lingerNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (closes.peekFirst() == head) {
                    drainCloses(batch, held);
                }
            }
        } catch (InterruptedException e) {
            // stopping: write what is left below
        }
        while (!closes.isEmpty()) {
            drainCloses(batch, held);
        }
        held.drop();
    }

    private void drainCloses(List<Queued> batch, HeldConnection held) {
        closes.drainTo(batch, maxBatch);
        if (!batch.isEmpty()) {
            write(batch, held);
            batch.clear();
        }
    }

    /** Writes a batch in one transaction, then answers the waiting callers; one bad record fails only itself. */
    private void write(List<Queued> batch, HeldConnection held) {
        batchSizes.record(batch.size());
        try {
            transaction(batch, held);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("could not write %d usage records together: %s", batch.size(), e.toString());
            if (batch.size() == 1 || unreachable(e)) {
                batch.forEach(item -> RecordBatch.fail(item, e));
            } else {
                // One bad record must not fail the others: each alone, in its own transaction; but if the
                // database is gone, the rest fail at once instead of each waiting for a connection in turn.
                Exception gone = null;
                for (Queued item : batch) {
                    if (gone != null) {
                        RecordBatch.fail(item, gone);
                        continue;
                    }
                    try {
                        transaction(List.of(item), held);
                    } catch (SQLException | RuntimeException alone) {
                        RecordBatch.fail(item, alone);
                        gone = unreachable(alone) ? alone : null;
                    }
                }
            }
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

    private void transaction(List<? extends Queued> batch, HeldConnection held) throws SQLException {
        Connection connection = held.get();
        Runnable answer;
        try {
            answer = RecordBatch.write(connection, batch);
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
}
