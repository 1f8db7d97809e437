package org.vettedaccess.ledger.tree;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.vettedaccess.ledger.core.NodeId;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.core.TreeMath;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** Tree heads and proofs from the stored nodes: O(log n) node reads in one query each. */
@ApplicationScoped
public class TreeReader {

    private final AgroalDataSource dataSource;
    private final NodeRepository nodes;

    public TreeReader(AgroalDataSource dataSource, NodeRepository nodes) {
        this.dataSource = dataSource;
        this.nodes = nodes;
    }

    /** The number of sequenced leaves. */
    public long size() {
        try (Connection connection = dataSource.getConnection()) {
            return size(connection);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    public static long size(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT coalesce(max(idx) + 1, 0) FROM leaves");
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    public byte[] root(Connection connection, long size) throws SQLException {
        Map<NodeId, byte[]> read = nodes.read(connection, TreeMath.rangeNodes(0, size));
        return TreeMath.root(size, read::get);
    }

    public List<byte[]> inclusion(long index, long treeSize) {
        requireSize(treeSize);
        if (index < 0 || index >= treeSize) {
            throw new ProblemException(
                    ProblemType.INVALID_REQUEST, "'index' must be in [0, treeSize); it is " + index + ".");
        }
        try (Connection connection = dataSource.getConnection()) {
            Map<NodeId, byte[]> read = nodes.read(connection, Proofs.inclusionNodes(index, treeSize));
            return Proofs.inclusionProof(index, treeSize, read::get);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    public List<byte[]> consistency(long from, long to) {
        requireSize(to);
        if (from < 0 || from > to) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "'from' must be in [0, to]; it is " + from + ".");
        }
        try (Connection connection = dataSource.getConnection()) {
            Map<NodeId, byte[]> read = nodes.read(connection, Proofs.consistencyNodes(from, to));
            return Proofs.consistencyProof(from, to, read::get);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private void requireSize(long treeSize) {
        long size = size();
        if (treeSize < 1 || treeSize > size) {
            throw new ProblemException(
                    ProblemType.INVALID_REQUEST,
                    "'treeSize' must be in [1, " + size + "], the current size of the log; it is " + treeSize + ".");
        }
    }

    public static ProblemException unavailable(SQLException e) {
        org.jboss.logging.Logger.getLogger(TreeReader.class).warnf("ledger storage failed: %s", e.getMessage());
        return new ProblemException(ProblemType.UNAVAILABLE, "The ledger's storage is unavailable; retry shortly.");
    }
}
