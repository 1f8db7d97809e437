package org.vettedaccess.ledger.witness;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.OptionalLong;
import org.vettedaccess.ledger.checkpoint.CheckpointRecord;
import org.vettedaccess.ledger.tree.TreeReader;

/** The cosignatures witnesses returned, stored beside the checkpoints; a cosigned checkpoint is note + lines. */
@ApplicationScoped
public class CosignedCheckpoints {

    private final AgroalDataSource dataSource;

    public CosignedCheckpoints(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The checkpoint's signed note followed by every cosignature line stored for its size. */
    public String withCosignatures(CheckpointRecord checkpoint) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT line FROM checkpoint_cosignatures WHERE tree_size = ? ORDER BY witness")) {
            query.setLong(1, checkpoint.treeSize());
            StringBuilder note = new StringBuilder(checkpoint.note());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    note.append(rows.getString(1));
                }
            }
            return note.toString();
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }

    /** The largest tree size {@code witness} (its vkey) has cosigned, if any. */
    OptionalLong lastCosigned(String witness) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT max(tree_size) FROM checkpoint_cosignatures WHERE witness = ?")) {
            query.setString(1, witness);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                long size = row.getLong(1);
                return row.wasNull() ? OptionalLong.empty() : OptionalLong.of(size);
            }
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }

    void store(long treeSize, String witness, String line, Instant at) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO checkpoint_cosignatures (tree_size, witness, line, cosigned_at) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (tree_size, witness) DO NOTHING")) {
            insert.setLong(1, treeSize);
            insert.setString(2, witness);
            insert.setString(3, line);
            insert.setTimestamp(4, Timestamp.from(at));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }
}
