package org.vettedaccess.policy.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change feed never skips a committed change, against a real PostgreSQL with access-policy's own migrations:
 * transactions that would commit out of sequence order, and a reader that follows the feed the way
 * {@code ChangeRepository.after} and the gateways do ({@code seq > after order by seq}, continuing from the last
 * sequence seen).
 */
class ChangeFeedOrderTest {

    private static EmbeddedPostgres server;
    private static String url;

    @BeforeAll
    static void startDatabase() throws Exception {
        server = EmbeddedPostgres.builder().start();
        url = server.getJdbcUrl("postgres", "postgres") + "&currentSchema=policy";
        Flyway.configure()
                .dataSource(server.getPostgresDatabase())
                .schemas("policy")
                .defaultSchema("policy")
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        server.close();
    }

    @BeforeEach
    void emptyFeed() throws SQLException {
        try (Connection connection = connect()) {
            connection.createStatement().execute("DELETE FROM changes");
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** What {@code ChangeFeed.record} writes, in the caller's transaction. */
    private static void insert(Connection connection, String kind) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO changes (kind, at) VALUES (?, now())")) {
            insert.setString(1, kind);
            insert.executeUpdate();
        }
    }

    private record Row(long seq, String kind) {}

    /** What {@code ChangeRepository.after} reads. */
    private static List<Row> after(long seq) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement read =
                        connection.prepareStatement("SELECT seq, kind FROM changes WHERE seq > ? ORDER BY seq"); ) {
            read.setLong(1, seq);
            List<Row> rows = new ArrayList<>();
            try (ResultSet result = read.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getLong(1), result.getString(2)));
                }
            }
            return rows;
        }
    }

    @Test
    void aChangeCommittedAfterAHigherNumberedOneIsStillSeen() throws Exception {
        try (Connection first = connect();
                Connection second = connect();
                ExecutorService threads = Executors.newSingleThreadExecutor()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            insert(first, "first"); // holds its transaction open

            CompletableFuture<Void> secondCommits = CompletableFuture.runAsync(
                    () -> {
                        try {
                            insert(second, "second");
                            second.commit();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    threads);
            // Give the second writer every chance to commit first (on a feed that allowed it, it would by now).
            try {
                secondCommits.get(500, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException waiting) {
                // it waits for the first: the order the feed needs
            }

            List<Row> seen = new ArrayList<>(after(0));
            long cursor = seen.isEmpty() ? 0 : seen.get(seen.size() - 1).seq();
            first.commit();
            secondCommits.get(10, TimeUnit.SECONDS);
            seen.addAll(after(cursor));

            assertEquals(
                    List.of("first", "second"),
                    seen.stream().map(Row::kind).toList(),
                    "every committed change, once, in commit order; saw " + seen);
        }
    }

    @Test
    void aReaderFollowingConcurrentWritersMissesNothingAndSeesNothingTwice() throws Exception {
        int writers = 6;
        int perWriter = 40;
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Row> seen = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(writers + 1)) {
            CompletableFuture<Void> reader = CompletableFuture.runAsync(
                    () -> {
                        long cursor = 0;
                        try {
                            while (true) {
                                boolean last = !writing.get();
                                List<Row> page = after(cursor);
                                seen.addAll(page);
                                if (!page.isEmpty()) {
                                    cursor = page.get(page.size() - 1).seq();
                                }
                                if (last) {
                                    return;
                                }
                            }
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    threads);
            List<CompletableFuture<Void>> writing0 = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writing0.add(CompletableFuture.runAsync(
                        () -> {
                            try (Connection connection = connect()) {
                                connection.setAutoCommit(false);
                                for (int i = 0; i < perWriter; i++) {
                                    insert(connection, writer + ":" + i);
                                    // A little work after the insert, as a service does before it commits.
                                    Thread.sleep(i % 3);
                                    connection.commit();
                                }
                            } catch (SQLException | InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        threads));
            }
            CompletableFuture.allOf(writing0.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            writing.set(false);
            reader.get(60, TimeUnit.SECONDS);
        }
        Set<String> kinds = new HashSet<>();
        for (Row row : seen) {
            assertTrue(kinds.add(row.kind()), "seen twice: " + row);
        }
        assertEquals(writers * perWriter, kinds.size(), "every committed change reaches the reader");
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i - 1).seq() < seen.get(i).seq(), "in feed order");
        }
    }
}
