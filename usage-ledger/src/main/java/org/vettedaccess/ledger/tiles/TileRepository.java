package org.vettedaccess.ledger.tiles;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.Tiles;
import org.vettedaccess.ledger.tree.TreeReader;

/**
 * Tiles computed from the stored rows, one range scan each: a hash tile is 1..256 consecutive {@code tree_nodes} at
 * Merkle level 8L (the table's primary key), or at level 0 the {@code leaf_hash} of 1..256 consecutive {@code leaves};
 * an entry bundle 1..256 consecutive {@code leaves}. Nothing is stored twice (ADR 0020, V5).
 */
@ApplicationScoped
public class TileRepository {

    private final AgroalDataSource dataSource;

    public TileRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The tile's bytes: 32-byte hashes for a hash tile, the length-prefixed leaf bytes for an entry bundle. */
    public byte[] read(Tiles.Tile tile) {
        // Level-0 hashes are the leaves' own leaf_hash column (V5); higher levels are tree_nodes rows.
        boolean leafHashes = !tile.entries() && tile.nodeLevel() == 0;
        String sql = tile.entries()
                ? "SELECT idx, entry FROM leaves WHERE idx >= ? AND idx < ? ORDER BY idx"
                : leafHashes
                        ? "SELECT idx, leaf_hash FROM leaves WHERE idx >= ? AND idx < ? ORDER BY idx"
                        : "SELECT idx, hash FROM tree_nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx";
        ByteArrayOutputStream out = new ByteArrayOutputStream(tile.width() * (tile.entries() ? 600 : Hashes.SIZE));
        long first = tile.firstNode();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            int parameter = 1;
            if (!tile.entries() && !leafHashes) {
                query.setShort(parameter++, (short) tile.nodeLevel());
            }
            query.setLong(parameter++, first);
            query.setLong(parameter, first + tile.width());
            long expected = first;
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (rows.getLong(1) != expected++) {
                        throw new SQLException("row " + (expected - 1) + " of " + tile.path() + " is missing");
                    }
                    byte[] value = rows.getBytes(2);
                    if (tile.entries()) {
                        out.writeBytes(Tiles.bundle(java.util.List.of(value)));
                    } else {
                        out.writeBytes(value);
                    }
                }
            }
            if (expected != first + tile.width()) {
                throw new SQLException(tile.path() + " has " + (expected - first) + " of its " + tile.width()
                        + " rows; the ledger's storage is damaged");
            }
            return out.toByteArray();
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }
}
