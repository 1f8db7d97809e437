package org.vettedaccess.support.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox against a real PostgreSQL: transactions, order, exactly once, one relay at a time, the 1 s loop. */
class LedgerOutboxTest {

    /**
     * The table is access-policy's, made by its own migrations (V6 creates it; kyc-service's V5 is the same
     * statement), so the test runs against the schema the service really has, not a copy of it.
     */
    static final String MIGRATIONS = "filesystem:../access-policy/src/main/resources/db/migration";

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Long> stored = new ConcurrentHashMap<>();
    private final LeafCallback callback = new LeafCallback() {
        @Override
        public boolean handles(String type) {
            return type.startsWith("grant.");
        }

        @Override
        public void delivered(OutboxRow row, long leafIndex) {
            stored.merge(row.ref(), leafIndex, (a, b) -> {
                throw new AssertionError("callback ran twice for " + row.ref());
            });
        }
    };

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure()
                .dataSource(postgres.getPostgresDatabase())
                .locations(MIGRATIONS)
                .schemas("policy")
                .defaultSchema("policy")
                .load()
                .migrate();
        dataSource = postgres.getDatabase("postgres", "postgres", Map.of("currentSchema", "policy"));
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE ledger_outbox RESTART IDENTITY");
        }
    }

    private LedgerOutbox outbox(JdbcTransactions transactions, FakeLedger ledger) {
        return new LedgerOutbox(
                dataSource,
                transactions,
                ledger,
                List.of(callback),
                json,
                new LedgerOutbox.Settings("ledger_outbox", 4711, Duration.ofMillis(200), Duration.ofSeconds(2)));
    }

    private static void enqueue(JdbcTransactions transactions, LedgerOutbox outbox, String... keys)
            throws SQLException {
        transactions.transaction(c -> {
            for (String key : keys) {
                outbox.enqueue(key, "grant.suspended", Map.of("grantId", key, "n", 1), key);
            }
        });
    }

    @Test
    void committedRowsAreDeliveredInTheOrderMadeAndRolledBackOnesNever() throws SQLException {
        JdbcTransactions transactions = new JdbcTransactions(dataSource);
        FakeLedger ledger = new FakeLedger();
        LedgerOutbox outbox = outbox(transactions, ledger);
        enqueue(transactions, outbox, "a", "b");
        assertThrows(
                IllegalStateException.class,
                () -> transactions.transaction(c -> {
                    outbox.enqueue("rolled-back", "grant.revoked", Map.of(), "rolled-back");
                    throw new IllegalStateException("the change failed");
                }));
        enqueue(transactions, outbox, "c");

        assertEquals(3, outbox.drain());
        assertEquals(List.of("a", "b", "c"), ledger.keys());
        assertEquals(Map.of("a", 0L, "b", 1L, "c", 2L), stored);
        assertEquals(0, outbox.pending());
        assertEquals(0, outbox.drain());
        assertEquals(3, ledger.keys().size());
    }

    @Test
    void aRefusedRowStopsTheRelaySoNothingAfterItOvertakesIt() throws SQLException {
        JdbcTransactions transactions = new JdbcTransactions(dataSource);
        FakeLedger ledger = new FakeLedger();
        LedgerOutbox outbox = outbox(transactions, ledger);
        ledger.down = true;
        enqueue(transactions, outbox, "a", "b", "c");

        assertThrows(OutboxUnavailableException.class, outbox::drain);
        assertEquals(1, ledger.calls, "stops at the first refused row");
        assertEquals(3, outbox.pending());
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT attempts, last_error FROM ledger_outbox WHERE id = 1")) {
            rows.next();
            assertEquals(1, rows.getInt(1));
            assertTrue(rows.getString(2).contains("connection refused"));
        }

        ledger.down = false;
        assertEquals(3, outbox.drain());
        assertEquals(List.of("a", "b", "c"), ledger.keys());
    }

    @Test
    void aLostAnswerIsRetriedWithTheSameKeyAndGivesOneLeaf() throws SQLException {
        JdbcTransactions transactions = new JdbcTransactions(dataSource);
        FakeLedger ledger = new FakeLedger();
        LedgerOutbox outbox = outbox(transactions, ledger);
        enqueue(transactions, outbox, "a", "b");
        ledger.loseNextAnswers = 1;

        assertThrows(OutboxUnavailableException.class, outbox::drain);
        assertEquals(2, outbox.drain());
        assertEquals(List.of("a", "b"), ledger.keys(), "the retried row is one leaf");
        assertEquals(Map.of("a", 0L, "b", 1L), stored);
    }

    @Test
    void twoReplicasRelayingAtOnceDeliverEachRowOnceInOrder() throws Exception {
        FakeLedger ledger = new FakeLedger();
        JdbcTransactions first = new JdbcTransactions(dataSource);
        JdbcTransactions second = new JdbcTransactions(dataSource);
        LedgerOutbox one = outbox(first, ledger);
        LedgerOutbox two = outbox(second, ledger);
        List<String> made = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                JdbcTransactions transactions = r == 0 ? first : second;
                LedgerOutbox outbox = r == 0 ? one : two;
                int replica = r;
                work.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 40; i++) {
                        String key = "r" + replica + "-" + i;
                        transactions.transaction(c -> outbox.enqueue(key, "grant.revoked", Map.of("i", key), key));
                        made.add(key);
                        outbox.drain();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        one.drain();
        two.drain();

        List<String> delivered = ledger.keys();
        assertEquals(80, delivered.size());
        assertEquals(80, delivered.stream().distinct().count(), "no row twice");
        assertEquals(idOrder(), delivered, "the ledger's order is the outbox's order");
        for (int r = 0; r < 2; r++) {
            String prefix = "r" + r + "-";
            List<String> mine =
                    delivered.stream().filter(k -> k.startsWith(prefix)).toList();
            assertEquals(IntStream.range(0, 40).mapToObj(i -> prefix + i).toList(), mine, "each replica's in order");
        }
        assertEquals(80, stored.size());
    }

    @Test
    void aReplicaDoesNotRelayWhileAnotherHoldsTheLock() throws Exception {
        JdbcTransactions transactions = new JdbcTransactions(dataSource);
        FakeLedger ledger = new FakeLedger();
        LedgerOutbox outbox = outbox(transactions, ledger);
        enqueue(transactions, outbox, "a");
        try (Connection other = dataSource.getConnection();
                PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(4711)")) {
            lock.execute();
            assertEquals(-1, outbox.drain());
            assertEquals(List.of(), ledger.keys());
        }
        assertEquals(1, outbox.drain());
    }

    @Test
    void aPermissiveAppendFollowsEveryEarlierRowOrIsRefused() throws SQLException {
        JdbcTransactions transactions = new JdbcTransactions(dataSource);
        FakeLedger ledger = new FakeLedger();
        LedgerOutbox outbox = outbox(transactions, ledger);
        ledger.down = true;
        enqueue(transactions, outbox, "suspend", "revoke");

        assertThrows(
                OutboxUnavailableException.class,
                () -> transactions.transaction(
                        c -> outbox.appendAfterPending("reinstate", "grant.changed", Map.of("x", 1))));
        assertEquals(List.of(), ledger.keys());

        ledger.down = false;
        long[] index = new long[1];
        transactions.transaction(c -> index[0] = outbox.appendAfterPending("reinstate", "grant.changed", Map.of()));
        assertEquals(List.of("suspend", "revoke", "reinstate"), ledger.keys());
        assertEquals(2, index[0]);
        assertEquals(0, outbox.pending());
    }

    @Test
    void aPermissiveAppendWaitsForAnotherReplicasRelayThenGivesUp() throws Exception {
        JdbcTransactions transactions = new JdbcTransactions(dataSource);
        FakeLedger ledger = new FakeLedger();
        LedgerOutbox outbox = outbox(transactions, ledger);
        try (Connection other = dataSource.getConnection();
                PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(4711)")) {
            lock.execute();
            long started = System.nanoTime();
            assertThrows(
                    OutboxUnavailableException.class,
                    () -> outbox.appendAfterPending("grant", "grant.issued", Map.of()));
            assertTrue(System.nanoTime() - started >= Duration.ofSeconds(2).toNanos(), "waited lockWait");
        }
        assertEquals(0, outbox.appendAfterPending("grant", "grant.issued", Map.of()));
    }

    @Test
    void theRelayDeliversWithinASecondOfTheCommitAndAfterTheLedgerReturns() throws Exception {
        JdbcTransactions transactions = new JdbcTransactions(dataSource);
        FakeLedger ledger = new FakeLedger();
        try (LedgerOutbox outbox = new LedgerOutbox(
                dataSource,
                transactions,
                ledger,
                List.of(callback),
                json,
                new LedgerOutbox.Settings("ledger_outbox", 4711, Duration.ofSeconds(30), Duration.ofSeconds(2)))) {
            outbox.start();
            long started = System.nanoTime();
            enqueue(transactions, outbox, "a");
            awaitLeaves(ledger, 1, Duration.ofSeconds(1));
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(1).toNanos(), "woken by the commit");
        }
        // A second relay with the ledger away first: the loop (not a commit) delivers once it is back.
        try (LedgerOutbox outbox = outbox(transactions, ledger)) {
            ledger.down = true;
            enqueue(transactions, outbox, "b");
            outbox.start();
            Thread.sleep(300);
            ledger.down = false;
            awaitLeaves(ledger, 2, Duration.ofSeconds(1));
            assertEquals(List.of("a", "b"), ledger.keys());
        }
    }

    @Test
    void aServiceLockNameGivesTheKeyItsReplicasHaveAlwaysShared() {
        // A replica of the previous release and one of this release must contend for the same lock.
        Duration second = Duration.ofSeconds(1);
        assertEquals(
                0x76612d706f6c6963L,
                LedgerOutbox.Settings.of("va-policy", second, second).lockKey());
        assertEquals(
                0x76612d6b7963L,
                LedgerOutbox.Settings.of("va-kyc", second, second).lockKey());
        assertEquals(
                "ledger_outbox",
                LedgerOutbox.Settings.of("va-kyc", second, second).table());
        assertThrows(IllegalArgumentException.class, () -> LedgerOutbox.Settings.of("", second, second));
    }

    @Test
    void anOutboxReusedForAnotherSinkRelaysAndReportsUnderItsOwnName() throws Exception {
        Duration second = Duration.ofSeconds(1);
        LedgerOutbox.Settings ledgerSettings = LedgerOutbox.Settings.of("va-policy", second, second);
        assertEquals("ledger outbox", ledgerSettings.name());
        assertEquals("ledger-outbox", ledgerSettings.threadName());
        assertThrows(
                IllegalArgumentException.class,
                () -> new LedgerOutbox.Settings("Mail-Outbox!", "ledger_outbox", 1, second, second));
        JdbcTransactions transactions = new JdbcTransactions(dataSource);
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        FakeLedger ledger = new FakeLedger();
        LedgerSink mail = (key, type, entry) -> {
            threads.add(Thread.currentThread().getName());
            return ledger.append(key, type, entry);
        };
        try (LedgerOutbox outbox = new LedgerOutbox(
                dataSource,
                transactions,
                mail,
                List.of(),
                json,
                new LedgerOutbox.Settings("mail outbox", "ledger_outbox", 4712, Duration.ofMillis(100), second))) {
            ledger.down = true;
            enqueue(transactions, outbox, "m1");
            OutboxUnavailableException refused = assertThrows(OutboxUnavailableException.class, outbox::drain);
            assertTrue(refused.getMessage().startsWith("the sink did not take"), refused.getMessage());
            ledger.down = false;
            threads.clear();
            outbox.start();
            awaitLeaves(ledger, 1, Duration.ofSeconds(5));
            assertEquals("mail-outbox", threads.get(0), "the relay runs on a thread named after its outbox");
        }
    }

    private static void awaitLeaves(FakeLedger ledger, int count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (ledger.keys().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, ledger.keys().size());
    }

    private static List<String> idOrder() throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT idempotency_key FROM ledger_outbox ORDER BY id")) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
    }
}
