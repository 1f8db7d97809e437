package org.vettedaccess.ledger.checkpoint;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.SignedNote;
import org.vettedaccess.ledger.tree.TreeReader;

/**
 * The publish stage: signs a checkpoint of the current tree on an interval when the log has grown, and on
 * demand. Checkpoints are stored, never replaced, so every one ever published can be served again.
 */
@ApplicationScoped
public class CheckpointService {

    private static final Logger LOG = Logger.getLogger(CheckpointService.class);

    private final AgroalDataSource dataSource;
    private final TreeReader tree;
    private final SigningKeys keys;
    private final LedgerConfig config;
    private final Clock clock;

    public CheckpointService(
            AgroalDataSource dataSource, TreeReader tree, SigningKeys keys, LedgerConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.tree = tree;
        this.keys = keys;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(
            every = "${ledger.checkpoint-interval}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishOnInterval() {
        try {
            publish();
        } catch (RuntimeException e) {
            LOG.warnf("publishing a checkpoint failed: %s", e.getMessage());
        }
    }

    /** Signs a checkpoint of the current tree unless the latest one already covers it; returns the latest. */
    public synchronized CheckpointRecord publish() {
        try (Connection connection = dataSource.getConnection()) {
            long size = TreeReader.size(connection);
            Optional<CheckpointRecord> latest = latest(connection);
            if (latest.isPresent() && latest.get().treeSize() >= size) {
                return latest.get();
            }
            byte[] root = tree.root(connection, size);
            String note = SignedNote.sign(new Checkpoint(config.origin(), size, root).body(), keys.signer());
            Instant now = clock.instant();
            String keyId = String.format("%08x", keys.signer().keyId());
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO checkpoints (tree_size, root_hash, note, key_id, signed_at) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (tree_size) DO NOTHING")) {
                insert.setLong(1, size);
                insert.setBytes(2, root);
                insert.setString(3, note);
                insert.setString(4, keyId);
                insert.setTimestamp(5, Timestamp.from(now));
                insert.executeUpdate();
            }
            return latest(connection).orElseThrow();
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }

    public Optional<CheckpointRecord> latest() {
        try (Connection connection = dataSource.getConnection()) {
            return latest(connection);
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }

    /** Checkpoints with a tree size of at least {@code fromSize}, oldest first. */
    public List<CheckpointRecord> list(long fromSize, int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT tree_size, root_hash, note, key_id, signed_at FROM checkpoints WHERE tree_size >= ?"
                                + " ORDER BY tree_size LIMIT ?")) {
            query.setLong(1, fromSize);
            query.setInt(2, limit);
            return read(query);
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }

    private static Optional<CheckpointRecord> latest(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT tree_size, root_hash, note, key_id,"
                + " signed_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1")) {
            return read(query).stream().findFirst();
        }
    }

    private static List<CheckpointRecord> read(PreparedStatement query) throws SQLException {
        List<CheckpointRecord> found = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                found.add(new CheckpointRecord(
                        rows.getLong(1),
                        Base64.getEncoder().encodeToString(rows.getBytes(2)),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getTimestamp(5).toInstant()));
            }
        }
        return found;
    }
}
