package org.vettedaccess.gateway.key;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** API keys in plain JDBC: the lookup by hash runs on the call path, and key changes share a transaction with the outbox. */
@ApplicationScoped
public class KeyRepository {

    private static final String COLUMNS =
            "id, subject, name, prefix, grant_id, created_at, expires_at, revoked_at, rotated_from, replaced_by";

    private final AgroalDataSource dataSource;

    public KeyRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    Optional<ApiKeyRecord> byHash(byte[] hash) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE secret_hash = ?")) {
            select.setBytes(1, hash);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    List<ApiKeyRecord> ofSubject(String subject) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM api_keys WHERE subject = ? ORDER BY created_at DESC LIMIT 200")) {
            select.setString(1, subject);
            return readAll(select);
        }
    }

    /** The key, locked for change in the caller's transaction, if it belongs to {@code subject}. */
    static Optional<ApiKeyRecord> lockOwned(Connection connection, UUID id, String subject) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM api_keys WHERE id = ? AND subject = ? FOR UPDATE")) {
            select.setObject(1, id);
            select.setString(2, subject);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    /** The subject's keys that are not revoked, locked for change in the caller's transaction. */
    static List<ApiKeyRecord> lockUnrevokedOf(Connection connection, String subject) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM api_keys WHERE subject = ? AND revoked_at IS NULL ORDER BY created_at FOR UPDATE")) {
            select.setString(1, subject);
            return readAll(select);
        }
    }

    /** Every subject that holds a key which is neither revoked nor expired. */
    List<String> ownersOfLiveKeys(Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT DISTINCT subject FROM api_keys WHERE revoked_at IS NULL AND expires_at > ?")) {
            select.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rows = select.executeQuery()) {
                List<String> owners = new ArrayList<>();
                while (rows.next()) {
                    owners.add(rows.getString(1));
                }
                return owners;
            }
        }
    }

    static void insert(Connection connection, ApiKeyRecord key, byte[] hash) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO api_keys (" + COLUMNS + ", secret_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, key.id());
            insert.setString(2, key.subject());
            insert.setString(3, key.name());
            insert.setString(4, key.prefix());
            insert.setObject(5, key.grantId());
            insert.setTimestamp(6, Timestamp.from(key.createdAt()));
            insert.setTimestamp(7, Timestamp.from(key.expiresAt()));
            insert.setTimestamp(8, key.revokedAt() == null ? null : Timestamp.from(key.revokedAt()));
            insert.setObject(9, key.rotatedFrom());
            insert.setObject(10, key.replacedBy());
            insert.setBytes(11, hash);
            insert.executeUpdate();
        }
    }

    static void revoke(Connection connection, UUID id, Instant at) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(at));
            update.setObject(2, id);
            update.executeUpdate();
        }
    }

    static void replace(Connection connection, UUID id, UUID replacement, Instant graceEnd) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE api_keys SET replaced_by = ?, expires_at = least(expires_at, ?) WHERE id = ?")) {
            update.setObject(1, replacement);
            update.setTimestamp(2, Timestamp.from(graceEnd));
            update.setObject(3, id);
            update.executeUpdate();
        }
    }

    private static List<ApiKeyRecord> readAll(PreparedStatement select) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            List<ApiKeyRecord> keys = new ArrayList<>();
            while (rows.next()) {
                keys.add(read(rows));
            }
            return keys;
        }
    }

    private static ApiKeyRecord read(ResultSet row) throws SQLException {
        return new ApiKeyRecord(
                row.getObject(1, UUID.class),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getObject(5, UUID.class),
                row.getTimestamp(6).toInstant(),
                row.getTimestamp(7).toInstant(),
                row.getTimestamp(8) == null ? null : row.getTimestamp(8).toInstant(),
                row.getObject(9, UUID.class),
                row.getObject(10, UUID.class));
    }
}
