package org.vettedaccess.e2e.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vettedaccess.ledger.core.CompactRange;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.Jcs;
import org.vettedaccess.ledger.core.NodeId;
import org.vettedaccess.suite.LocalSuite;

/**
 * The ledger's own PostgreSQL schema as its owner reaches it, bypassing every service (the lab's insider, issue
 * 20): reading a stored leaf, appending a leaf with its tree nodes exactly as the sequencer stores them (level 0 is
 * the leaf's own {@code leaf_hash}, the levels above are {@code tree_nodes} rows), and
 * replacing the witnesses' cosignature lines.
 */
public final class LedgerDatabase {

    /** The sequencer's advisory lock ("VALEDGER"): holding it, no append of the service's interleaves. */
    private static final long APPEND_LOCK = 0x5641_4C45_4447_4552L;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalSuite suite;

    public LedgerDatabase(LocalSuite suite) {
        this.suite = suite;
    }

    /** A stored leaf: its fields as signed, and the columns the service derived from them. */
    public record StoredLeaf(Map<String, Object> fields, String subject, String model, String appendedBy) {}

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(
                suite.database().jdbcUrl("va_ledger") + "?currentSchema=ledger",
                suite.database().user(),
                suite.database().password());
    }

    @SuppressWarnings("unchecked")
    public StoredLeaf leaf(long index) throws SQLException, IOException {
        try (Connection db = connect();
                PreparedStatement query =
                        db.prepareStatement("SELECT entry, subject, model, appended_by FROM leaves WHERE idx = ?")) {
            query.setLong(1, index);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalArgumentException("no leaf " + index);
                }
                return new StoredLeaf(
                        new LinkedHashMap<>(JSON.readValue(row.getBytes(1), Map.class)),
                        row.getString(2),
                        row.getString(3),
                        row.getString(4));
            }
        }
    }

    /**
     * Appends {@code fields} (RFC 8785) as the next leaf with the nodes it completes, in one transaction under the
     * sequencer's lock, as the schema's owner: what the ledger would have stored had its owner accepted it, with no
     * service involved. The tree stays well-formed; a checkpoint signed afterwards by the service covers the leaf.
     * Returns the leaf's index.
     */
    public long appendAsOwner(StoredLeaf leaf, Instant loggedAt) throws SQLException {
        Map<String, Object> fields = new HashMap<>(leaf.fields());
        fields.put("loggedAt", loggedAt.toString());
        byte[] bytes = Jcs.canonicalize(fields);
        byte[] leafHash = Hashes.leaf(bytes);
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            try (Statement statement = db.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ")");
            }
            long index;
            try (Statement statement = db.createStatement();
                    ResultSet row = statement.executeQuery("SELECT coalesce(max(idx) + 1, 0) FROM leaves")) {
                row.next();
                index = row.getLong(1);
            }
            Map<NodeId, byte[]> edge = nodes(db, CompactRange.edgeNodes(index));
            CompactRange tree = CompactRange.of(index, edge::get);
            List<CompactRange.StoredNode> completed = tree.append(leafHash);
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO leaves (idx, idempotency_key,"
                    + " request_hash, entry_type, subject, model, logged_at, entry, leaf_hash, appended_by)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, index);
                insert.setString(2, "owner-" + UUID.randomUUID());
                insert.setBytes(3, sha256(bytes));
                insert.setString(4, String.valueOf(fields.get("type")));
                insert.setString(5, leaf.subject());
                insert.setString(6, leaf.model());
                insert.setTimestamp(7, Timestamp.from(loggedAt));
                insert.setBytes(8, bytes);
                insert.setBytes(9, leafHash);
                insert.setString(10, leaf.appendedBy());
                insert.executeUpdate();
            }
            try (PreparedStatement insert =
                    db.prepareStatement("INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)")) {
                for (CompactRange.StoredNode node : completed) {
                    if (node.id().level() == 0) {
                        continue; // the leaf hash is the leaf row's leaf_hash (V5)
                    }
                    insert.setShort(1, (short) node.id().level());
                    insert.setLong(2, node.id().index());
                    insert.setBytes(3, node.hash());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            db.commit();
            return index;
        }
    }

    /** One stored cosignature line: the checkpoint's size, the witness (its vkey) and the line. */
    public record CosignatureRow(long treeSize, String witness, String line) {}

    /**
     * Replaces every stored cosignature line of a checkpoint of at least {@code fromSize} with a forgery: the same
     * witness name and key id, one signature byte changed (what a lab without the witness's key can make). Returns
     * the lines as they were, for {@link #restore}.
     */
    public List<CosignatureRow> forgeCosignatures(long fromSize) throws SQLException {
        List<CosignatureRow> original = new java.util.ArrayList<>();
        try (Connection db = connect();
                PreparedStatement query = db.prepareStatement(
                        "SELECT tree_size, witness, line FROM checkpoint_cosignatures WHERE tree_size >= ?");
                PreparedStatement update = db.prepareStatement(
                        "UPDATE checkpoint_cosignatures SET line = ? WHERE tree_size = ? AND witness = ?")) {
            query.setLong(1, fromSize);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    original.add(new CosignatureRow(rows.getLong(1), rows.getString(2), rows.getString(3)));
                }
            }
            for (CosignatureRow row : original) {
                update.setString(1, forge(row.line()));
                update.setLong(2, row.treeSize());
                update.setString(3, row.witness());
                update.executeUpdate();
            }
        }
        return original;
    }

    /** Puts cosignature lines back as they were. */
    public void restore(List<CosignatureRow> rows) throws SQLException {
        try (Connection db = connect();
                PreparedStatement update = db.prepareStatement(
                        "UPDATE checkpoint_cosignatures SET line = ? WHERE tree_size = ? AND witness = ?")) {
            for (CosignatureRow row : rows) {
                update.setString(1, row.line());
                update.setLong(2, row.treeSize());
                update.setString(3, row.witness());
                update.executeUpdate();
            }
        }
    }

    /** {@code — <name> <base64(key id ‖ timestamp ‖ signature)>\n} with the signature's last byte flipped. */
    static String forge(String line) {
        String[] parts = line.strip().split(" ");
        byte[] blob = Base64.getDecoder().decode(parts[2]);
        blob[blob.length - 1] ^= 1;
        return parts[0] + " " + parts[1] + " " + Base64.getEncoder().encodeToString(blob) + "\n";
    }

    private static Map<NodeId, byte[]> nodes(Connection db, List<NodeId> wanted) throws SQLException {
        Map<NodeId, byte[]> found = new HashMap<>();
        try (PreparedStatement query = db.prepareStatement("SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?");
                PreparedStatement leaf = db.prepareStatement("SELECT leaf_hash FROM leaves WHERE idx = ?")) {
            for (NodeId node : wanted) {
                // Level 0 is the leaf's own leaf_hash; tree_nodes holds the levels above (V5).
                PreparedStatement read = node.level() == 0 ? leaf : query;
                int parameter = 1;
                if (node.level() > 0) {
                    query.setShort(parameter++, (short) node.level());
                }
                read.setLong(parameter, node.index());
                try (ResultSet row = read.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("the tree has no node " + node);
                    }
                    found.put(node, row.getBytes(1));
                }
            }
        }
        return found;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
