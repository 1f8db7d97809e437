package org.vettedaccess.support.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The SQL of one outbox table and of its relay's advisory lock; {@link LedgerOutbox} decides when and in what order
 * they run. The statements that must join a transaction take its connection.
 */
final class OutboxTable {

    private static final int PAGE = 100;

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final String table;
    private final long lockKey;

    OutboxTable(DataSource dataSource, ObjectMapper json, String table, long lockKey) {
        this.dataSource = dataSource;
        this.json = json;
        this.table = table;
        this.lockKey = lockKey;
    }

    /** Queues a row on {@code connection} (the caller's transaction); a repeated key is SQL state 23505. */
    void insert(Connection connection, String idempotencyKey, String type, String entry, String ref)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (idempotency_key, type, entry, ref, created_at) VALUES (?, ?, ?, ?, now())")) {
            insert.setString(1, idempotencyKey);
            insert.setString(2, type);
            insert.setString(3, entry);
            insert.setString(4, ref);
            insert.executeUpdate();
        }
    }

    /** Rows not yet delivered, on a connection of its own. */
    long pending() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count =
                        connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE delivered_at IS NULL");
                ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The oldest pending rows (at most a page), by {@code id}. */
    List<OutboxRow> readPending() throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT id, idempotency_key, type, entry, ref FROM " + table
                                + " WHERE delivered_at IS NULL ORDER BY id LIMIT " + PAGE);
                ResultSet result = select.executeQuery()) {
            while (result.next()) {
                Map<String, Object> entry;
                try {
                    entry = json.readValue(result.getString(4), new TypeReference<>() {});
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("outbox row " + result.getLong(1) + " is not JSON", e);
                }
                rows.add(new OutboxRow(
                        result.getLong(1), result.getString(2), result.getString(3), entry, result.getString(5)));
            }
        }
        return rows;
    }

    /**
     * Marks a row delivered with its leaf on {@code connection}; true if this call marked it (not another relay).
     * Waits at most 5 s for the row's lock: a callback waiting on a row the caller of {@code appendAfterPending}
     * holds would wait for ever (that caller waits for the relay); bounded, the round fails and the row is
     * delivered again later.
     */
    boolean markDelivered(Connection connection, long id, long index) throws SQLException {
        try (Statement bound = connection.createStatement()) {
            bound.execute("SET LOCAL lock_timeout = '5s'");
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                + " SET leaf_index = ?, delivered_at = now() WHERE id = ? AND delivered_at IS NULL")) {
            update.setLong(1, index);
            update.setLong(2, id);
            return update.executeUpdate() == 1;
        }
    }

    /** Counts a refused delivery on the row, with the error (at most 500 characters). */
    void noteFailure(Connection connection, long id, String error) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE " + table + " SET attempts = attempts + 1, last_error = ? WHERE id = ?")) {
            update.setString(1, error.length() > 500 ? error.substring(0, 500) : error);
            update.setLong(2, id);
            update.executeUpdate();
        }
    }

    @FunctionalInterface
    interface Locked<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} holding the session advisory lock on its own connection; null if it was not had in time. */
    <T> T withLock(Duration wait, Locked<T> work) throws SQLException, InterruptedException {
        try (Connection connection = dataSource.getConnection()) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (!tryLock(connection)) {
                if (System.nanoTime() >= deadline) {
                    return null;
                }
                Thread.sleep(20);
            }
            try {
                return work.run();
            } finally {
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, lockKey);
                    unlock.execute();
                }
            }
        }
    }

    private boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, lockKey);
            try (ResultSet rows = lock.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }
}
