package org.vettedaccess.support.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * A durable outbox for a service's ledger entries (the table is the service's own, created by its own migration;
 * see {@code docs/architecture.md}, "Restrictive and permissive changes").
 *
 * <ul>
 *   <li>{@link #enqueue} writes the entry in the caller's transaction: it commits, and takes effect, with the change.
 *   <li>A relay delivers pending rows oldest first (by {@code id}), stopping at the first the ledger does not take,
 *       so a change made after another committed is never delivered before it. Only the holder of a PostgreSQL
 *       advisory lock relays, so with several replicas there is one relay at a time and the order holds.
 *   <li>Exactly once: the ledger answers a repeated idempotency key with the first index, so a delivery whose answer
 *       was lost is retried safely; a row is marked delivered (and its {@link LeafCallback} run) in one transaction.
 *   <li>{@link #appendAfterPending} is for changes that must not happen without their leaf: under the same lock it
 *       first delivers every earlier pending row, then appends synchronously, or throws.
 * </ul>
 *
 * The table's SQL and the lock are {@link OutboxTable}'s. The relay runs right after each commit that queued a row (a virtual thread woken by the transaction) and
 * otherwise every {@code loopInterval}; Quarkus's {@code @Scheduled} cannot run more often than once a second, and a
 * thread woken by the commit delivers within milliseconds when the ledger is up.
 */
public final class LedgerOutbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LedgerOutbox.class);
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");
    private static final Pattern NAME = Pattern.compile("[a-z]+( [a-z]+)*");
    private static final String LEDGER = "ledger outbox";

    /**
     * @param name what the relay's log lines start with and its thread is named after ({@code ledger outbox} logs
     *     as "ledger outbox: …" on the thread {@code ledger-outbox}); an outbox reused for another sink names itself
     * @param table the outbox table (in the service's own schema)
     * @param lockKey the advisory lock only the relaying replica holds; one per service database
     * @param loopInterval how often the background loop looks for rows no commit woke it for (other replicas', or
     *     ones the ledger refused)
     * @param lockWait how long {@link #appendAfterPending} waits for another replica's relay to let go
     */
    public record Settings(String name, String table, long lockKey, Duration loopInterval, Duration lockWait) {
        public Settings {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not an outbox name (lower-case words): " + name);
            }
            if (!TABLE.matcher(table).matches()) {
                throw new IllegalArgumentException("not a table name: " + table);
            }
        }

        /** The ledger's outbox in {@code table}: it logs as "ledger outbox". */
        public Settings(String table, long lockKey, Duration loopInterval, Duration lockWait) {
            this(LEDGER, table, lockKey, loopInterval, lockWait);
        }

        /** What the rows go to, for log lines: "the ledger", or "the sink" of an outbox reused for another. */
        public String sinkName() {
            return name.equals(LEDGER) ? "the ledger" : "the sink";
        }

        /** The relay thread's name: the outbox's name with hyphens, e.g. {@code ledger-outbox}. */
        public String threadName() {
            return name.replace(' ', '-');
        }

        /**
         * A service's outbox in its table {@code ledger_outbox}, relayed under the advisory lock named by the first 8
         * ASCII characters of {@code lockName} as one big-endian number ({@code va-policy} gives
         * {@code 0x76612d706f6c6963}, "va-polic"); one name per service database.
         */
        public static Settings of(String lockName, Duration loopInterval, Duration lockWait) {
            byte[] name = lockName.getBytes(StandardCharsets.US_ASCII);
            if (name.length == 0) {
                throw new IllegalArgumentException("a lock needs a name");
            }
            long key = 0;
            for (int i = 0; i < Math.min(name.length, Long.BYTES); i++) {
                key = key << 8 | (name[i] & 0xff);
            }
            return new Settings("ledger_outbox", key, loopInterval, lockWait);
        }
    }

    /**
     * The outbox of a Quarkus service, relaying from now on: rows join the caller's JTA transaction (the one
     * Hibernate uses, see {@link JtaTransactions}). The service {@link #close}s it when it stops.
     */
    public static LedgerOutbox relaying(
            DataSource dataSource,
            TransactionSynchronizationRegistry registry,
            LedgerSink sink,
            List<LeafCallback> callbacks,
            ObjectMapper json,
            Settings settings) {
        LedgerOutbox outbox = new LedgerOutbox(
                dataSource, new JtaTransactions(dataSource, registry), sink, callbacks, json, settings);
        outbox.start();
        return outbox;
    }

    private final OutboxTable table;
    private final Transactions transactions;
    private final LedgerSink sink;
    private final List<LeafCallback> callbacks;
    private final ObjectMapper json;
    private final Settings settings;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private volatile Thread worker;

    public LedgerOutbox(
            DataSource dataSource,
            Transactions transactions,
            LedgerSink sink,
            List<LeafCallback> callbacks,
            ObjectMapper json,
            Settings settings) {
        this.table = new OutboxTable(dataSource, json, settings.table(), settings.lockKey());
        this.transactions = transactions;
        this.sink = sink;
        this.callbacks = List.copyOf(callbacks);
        this.json = json;
        this.settings = settings;
    }

    /** Queues an entry in the caller's transaction; the relay is woken once that transaction commits. */
    public void enqueue(String idempotencyKey, String type, Map<String, Object> entry, String ref) {
        String text;
        try {
            text = json.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the entry cannot be written as JSON", e);
        }
        try {
            transactions.current(connection -> table.insert(connection, idempotencyKey, type, text, ref));
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                // The same change (same idempotency key) made concurrently, and the other one committed first.
                throw new DuplicateEntryException(idempotencyKey, e);
            }
            throw new IllegalStateException("the ledger outbox cannot be written: " + e.getMessage(), e);
        }
        transactions.afterCommit(this::wake);
    }

    /**
     * Delivers every earlier pending row, then appends this entry synchronously and returns its index; all while
     * holding the relay lock, so nothing queued before it reaches the ledger after it.
     *
     * @throws OutboxUnavailableException if the ledger did not take an earlier row or this one, or another replica
     *     held the relay for longer than {@code lockWait}; then this entry was not appended
     */
    public long appendAfterPending(String idempotencyKey, String type, Map<String, Object> entry) {
        Long index = outside(() -> table.withLock(settings.lockWait(), () -> {
            deliverPending();
            try {
                return sink.append(idempotencyKey, type, entry);
            } catch (RuntimeException e) {
                throw new OutboxUnavailableException("the ledger did not take " + type + ": " + e, e);
            }
        }));
        if (index == null) {
            throw new OutboxUnavailableException("another replica's relay held the ledger outbox", null);
        }
        return index;
    }

    /**
     * Delivers pending rows if no other replica is relaying; returns how many, or -1 if another replica holds the
     * relay (it delivers them).
     *
     * @throws OutboxUnavailableException if the ledger did not take a row (it and those after it stay pending)
     */
    public int drain() {
        return drain(Duration.ZERO);
    }

    /**
     * Like {@link #drain()}, but waits up to {@code wait} for another relay (which may be delivering the caller's
     * rows right now) to let go first; for a caller that wants its rows delivered before it answers.
     */
    public int drain(Duration wait) {
        Integer delivered = outside(() -> table.withLock(wait, this::deliverPending));
        return delivered == null ? -1 : delivered;
    }

    /** Rows not yet delivered. */
    public long pending() {
        return outside(table::pending);
    }

    /** Asks the relay to run now (after a commit that queued a row). */
    public void wake() {
        wake.release();
    }

    /** Starts the background relay (a virtual thread); it first delivers what an earlier run left. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        wake.release();
        worker = Thread.ofVirtual().name(settings.threadName()).start(this::loop);
    }

    @Override
    public synchronized void close() {
        running = false;
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        boolean warned = false;
        while (running) {
            try {
                wake.tryAcquire(settings.loopInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            try {
                drain();
                warned = false;
            } catch (OutboxUnavailableException e) {
                // The ledger is away: the rows wait, in order, and the next round tries again.
                if (!warned) {
                    LOG.warnf(
                            "%s: %s does not take entries now (%s); they wait",
                            settings.name(), settings.sinkName(), e.getMessage());
                    warned = true;
                }
            } catch (RuntimeException e) {
                // The database is away, say: the rows are safe in it; warn once per streak, not every round.
                if (running && !warned) {
                    LOG.warnf("%s: the relay round failed: %s", settings.name(), e.toString());
                    warned = true;
                }
            }
        }
    }

    @FunctionalInterface
    private interface Checked<T> {
        T call() throws Exception;
    }

    /** Outside any transaction: the relay's lock and reads use their own autocommit connection. */
    private <T> T outside(Checked<T> work) {
        return transactions.outside(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutboxUnavailableException("interrupted", e);
            } catch (Exception e) {
                throw new IllegalStateException("the ledger outbox cannot be read: " + e.getMessage(), e);
            }
        });
    }

    /** Holding the lock: delivers pending rows oldest first until none is left; throws at the first refused. */
    private int deliverPending() throws SQLException {
        int delivered = 0;
        while (true) {
            List<OutboxRow> rows = table.readPending();
            if (rows.isEmpty()) {
                return delivered;
            }
            for (OutboxRow row : rows) {
                deliver(row);
                delivered++;
            }
        }
    }

    private void deliver(OutboxRow row) throws SQLException {
        long index;
        try {
            index = sink.append(row.idempotencyKey(), row.type(), row.entry());
        } catch (RuntimeException e) {
            noteFailure(row, e);
            throw new OutboxUnavailableException(
                    settings.sinkName() + " did not take " + row.type() + " (" + row.idempotencyKey() + "): " + e, e);
        }
        transactions.inNew(connection -> {
            // Marked and called back in one transaction: exactly once (the mark waits at most 5 s, see OutboxTable).
            if (table.markDelivered(connection, row.id(), index)) {
                for (LeafCallback callback : callbacks) {
                    if (callback.handles(row.type())) {
                        callback.delivered(row, index);
                    }
                }
            }
        });
    }

    private void noteFailure(OutboxRow row, RuntimeException failure) {
        String error = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        try {
            transactions.inNew(connection -> table.noteFailure(connection, row.id(), error));
        } catch (RuntimeException e) {
            LOG.debugf("%s: the failure of row %d was not noted: %s", settings.name(), row.id(), e);
        }
    }
}
