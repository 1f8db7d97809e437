package org.vettedaccess.ledger.tree;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.ledger.core.CompactRange;
import org.vettedaccess.ledger.core.NodeId;

/**
 * The stored perfect-subtree hashes. A level-0 node is a leaf hash, which the leaf's own row holds, so it is read from
 * {@code leaves} and never written to {@code tree_nodes} (V5); every parent is a {@code tree_nodes} row. Reads take
 * any set of nodes in one round trip.
 */
@ApplicationScoped
public class NodeRepository {

    private static final String READ = "SELECT n.level, n.idx, n.hash FROM tree_nodes n"
            + " JOIN unnest(?::smallint[], ?::bigint[]) AS want(level, idx) ON n.level = want.level AND n.idx = want.idx"
            + " UNION ALL SELECT 0, l.idx, l.leaf_hash FROM leaves l JOIN unnest(?::bigint[]) AS want(idx)"
            + " ON l.idx = want.idx";

    public Map<NodeId, byte[]> read(Connection connection, Collection<NodeId> nodes) throws SQLException {
        Map<NodeId, byte[]> found = new HashMap<>();
        if (nodes.isEmpty()) {
            return found;
        }
        List<Short> levels = new ArrayList<>(nodes.size());
        List<Long> indexes = new ArrayList<>(nodes.size());
        List<Long> leaves = new ArrayList<>(2);
        for (NodeId node : nodes) {
            if (node.level() == 0) {
                leaves.add(node.index());
            } else {
                levels.add((short) node.level());
                indexes.add(node.index());
            }
        }
        try (PreparedStatement read = connection.prepareStatement(READ)) {
            read.setArray(1, connection.createArrayOf("smallint", levels.toArray()));
            read.setArray(2, connection.createArrayOf("bigint", indexes.toArray()));
            read.setArray(3, connection.createArrayOf("bigint", leaves.toArray()));
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

    /** Stores the nodes above level 0; a level-0 node (a leaf hash) is its leaf's {@code leaf_hash}. */
    public void insert(Connection connection, List<CompactRange.StoredNode> nodes) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)")) {
            for (CompactRange.StoredNode node : nodes) {
                if (node.id().level() == 0) {
                    continue;
                }
                insert.setShort(1, (short) node.id().level());
                insert.setLong(2, node.id().index());
                insert.setBytes(3, node.hash());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
