package org.vettedaccess.ledger.tree;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.ledger.core.CompactRange;
import org.vettedaccess.ledger.core.NodeId;

/** The stored perfect-subtree hashes. Reads take any set of nodes in one round trip. */
@ApplicationScoped
public class NodeRepository {

    private static final String READ = "SELECT n.level, n.idx, n.hash FROM tree_nodes n"
            + " JOIN unnest(?::smallint[], ?::bigint[]) AS want(level, idx) ON n.level = want.level AND n.idx = want.idx";

    public Map<NodeId, byte[]> read(Connection connection, Collection<NodeId> nodes) throws SQLException {
        Map<NodeId, byte[]> found = new HashMap<>();
        if (nodes.isEmpty()) {
            return found;
        }
        Short[] levels = new Short[nodes.size()];
        Long[] indexes = new Long[nodes.size()];
        int i = 0;
        for (NodeId node : nodes) {
            levels[i] = (short) node.level();
            indexes[i++] = node.index();
        }
        try (PreparedStatement read = connection.prepareStatement(READ)) {
            Array levelArray = connection.createArrayOf("smallint", levels);
            Array indexArray = connection.createArrayOf("bigint", indexes);
            read.setArray(1, levelArray);
            read.setArray(2, indexArray);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    found.put(new NodeId(rows.getShort(1), rows.getLong(2)), rows.getBytes(3));
                }
            }
        }
        for (NodeId node : nodes) {
            if (!found.containsKey(node)) {
                throw new SQLException("the tree is missing node " + node + "; the ledger's storage is damaged");
            }
        }
        return found;
    }

    /** Every node inside the first {@code size} leaves, for building many proofs at once (exports). */
    public Map<NodeId, byte[]> readAll(Connection connection, long size) throws SQLException {
        Map<NodeId, byte[]> found = new HashMap<>();
        try (PreparedStatement read = connection.prepareStatement(
                "SELECT level, idx, hash FROM tree_nodes WHERE ((idx + 1) << level) <= ?")) {
            read.setLong(1, size);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    found.put(new NodeId(rows.getShort(1), rows.getLong(2)), rows.getBytes(3));
                }
            }
        }
        return found;
    }

    public void insert(Connection connection, List<CompactRange.StoredNode> nodes) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)")) {
            for (CompactRange.StoredNode node : nodes) {
                insert.setShort(1, (short) node.id().level());
                insert.setLong(2, node.id().index());
                insert.setBytes(3, node.hash());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
