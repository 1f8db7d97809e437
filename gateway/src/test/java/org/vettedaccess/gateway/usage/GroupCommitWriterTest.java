package org.vettedaccess.gateway.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The record writer's commit policy (ADR 0089) against a real PostgreSQL with the gateway's own migrations: a
 * PENDING record commits at once, alone if it is alone, and is answered only once it is committed; completions ride
 * with the next PENDING records when the budget rows' order allows, else are committed on their own after the
 * linger, and when the gateway stops.
 */
class GroupCommitWriterTest {

    /** Longer than any test waits: a record that waits for it shows up as a timeout. */
    private static final Duration FOREVER = Duration.ofSeconds(60);

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private GroupCommitWriter writer;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure()
                .dataSource(postgres.getPostgresDatabase())
                .locations("filesystem:src/main/resources/db/migration")
                .schemas("gateway")
                .defaultSchema("gateway")
                .load()
                .migrate();
        dataSource = postgres.getDatabase("postgres", "postgres", Map.of("currentSchema", "gateway"));
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE outbox, grant_budgets");
        }
    }

    @AfterEach
    void stopWriter() {
        if (writer != null) {
            writer.stop();
        }
    }

    private GroupCommitWriter writer(Duration linger) {
        writer = new GroupCommitWriter(dataSource, 256, linger, metrics);
        writer.start();
        return writer;
    }

    @Test
    void aLoneRecordCommitsAtOnceAndIsAnsweredOnlyOnceCommitted() throws Exception {
        GroupCommitWriter writer = writer(FOREVER);
        UUID id = UUID.randomUUID();
        CompletableFuture<String> seenByAnother = writer.openLater(id, "alice", "m", null, null, 10, "{}")
                .thenApply(opened -> {
                    try {
                        return state(id);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
        // Neither a linger nor company: the one record is committed by itself, right away.
        assertEquals("PENDING", seenByAnother.get(10, TimeUnit.SECONDS), "committed before the caller is answered");
        assertEquals(1, batches().count());
        assertEquals(1.0, batches().totalAmount());
    }

    @Test
    void aCompletionRidesWithTheNextPendingRecord() throws Exception {
        GroupCommitWriter writer = writer(FOREVER);
        UUID first = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        assertTrue(open(writer, first, grant, 1000L));
        CompletableFuture<Boolean> completed = writer.closeLater(first, grant, 3, 4, 7, "{\"status\":\"ok\"}");
        assertTrue(open(writer, UUID.randomUUID(), grant, 1000L));
        // Committed in the second PENDING record's transaction, before that call was answered.
        assertEquals("READY", state(first));
        assertTrue(completed.get(10, TimeUnit.SECONDS));
        assertEquals(2, batches().count());
        assertEquals(3.0, batches().totalAmount());
        assertEquals(7, spent(grant), "the completion turned its reservation into spending");
    }

    @Test
    void aCompletionWithNoCallComingIsCommittedAfterTheLinger() throws Exception {
        GroupCommitWriter writer = writer(Duration.ofMillis(50));
        UUID id = UUID.randomUUID();
        assertTrue(open(writer, id, null, null));
        assertTrue(writer.closeLater(id, null, 1, 2, 3, "{}").get(10, TimeUnit.SECONDS));
        assertEquals("READY", state(id));
    }

    @Test
    void aCompletionWaitsRatherThanTouchABudgetRowOutOfOrder() throws Exception {
        GroupCommitWriter writer = writer(FOREVER);
        UUID low = new UUID(1, 1);
        UUID high = new UUID(2, 2);
        UUID onLow = UUID.randomUUID();
        UUID onHigh = UUID.randomUUID();
        assertTrue(open(writer, onLow, low, 1000L));
        assertTrue(open(writer, onHigh, high, 1000L));
        CompletableFuture<Boolean> lowDone = writer.closeLater(onLow, low, 1, 1, 2, "{}");
        CompletableFuture<Boolean> highDone = writer.closeLater(onHigh, high, 1, 1, 2, "{}");
        // A transaction that reserves on the high grant's row cannot then settle on the low one's.
        assertTrue(open(writer, UUID.randomUUID(), high, 1000L));
        assertEquals("PENDING", state(onLow));
        assertEquals("READY", state(onHigh));
        // One that reserves on the low grant's row may.
        assertTrue(open(writer, UUID.randomUUID(), low, 1000L));
        assertEquals("READY", state(onLow));
        assertTrue(lowDone.get(10, TimeUnit.SECONDS) && highDone.get(10, TimeUnit.SECONDS));
    }

    @Test
    void stoppingCommitsTheQueuedCompletions() throws Exception {
        GroupCommitWriter writer = writer(FOREVER);
        UUID id = UUID.randomUUID();
        assertTrue(open(writer, id, null, null));
        CompletableFuture<Boolean> completed = writer.closeLater(id, null, 1, 2, 3, "{}");
        writer.stop();
        this.writer = null;
        assertTrue(completed.get(10, TimeUnit.SECONDS));
        assertEquals("READY", state(id));
    }

    private static boolean open(GroupCommitWriter writer, UUID id, UUID grant, Long budget) throws Exception {
        return writer.openLater(id, "alice", "m", grant, budget, 10, "{}").get(10, TimeUnit.SECONDS);
    }

    private DistributionSummary batches() {
        return metrics.get("gateway.outbox.write.batch").summary();
    }

    /** The record's state as another connection sees it (committed data only). */
    private static String state(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT state FROM outbox WHERE id = ?")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private static long spent(UUID grant) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query =
                        connection.prepareStatement("SELECT spent FROM grant_budgets WHERE grant_id = ?")) {
            query.setObject(1, grant);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                return row.getLong(1);
            }
        }
    }
}
