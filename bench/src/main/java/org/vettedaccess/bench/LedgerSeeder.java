package org.vettedaccess.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.vettedaccess.ledger.core.CompactRange;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NodeId;
import org.vettedaccess.ledger.tree.NodeRepository;

/**
 * The export benchmark's seeding: COPYs usage leaves (the service's own usage leaf with its token counts varied, so
 * each is distinct and names the grant) and their Merkle nodes into the ledger's PostgreSQL as the schema's owner,
 * exactly as the sequencer stores them, under the sequencer's advisory lock, while the ledger is stopped.
 */
final class LedgerSeeder {

    private static final long APPEND_LOCK = 0x5641_4C45_4447_4552L; // the sequencer's "VALEDGER"
    private static final Instant PG_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private LedgerSeeder() {}

    /**
     * COPYs {@code count} usage leaves after the current end of the log and their tree nodes, in one transaction
     * under the sequencer's advisory lock; returns the log's size after. The secondary indexes are dropped and built
     * again from their own definitions (faster than 10 M index insertions each); the primary keys stay.
     */
    static long seed(Connection db, long template, long count) throws SQLException, IOException {
        db.setAutoCommit(false);
        try (Statement statement = db.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ")");
            statement.execute("SET LOCAL maintenance_work_mem = '1GB'");
        }
        long start;
        try (Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery("SELECT coalesce(max(idx) + 1, 0) FROM leaves")) {
            row.next();
            start = row.getLong(1);
        }
        Template leaf = Template.read(db, template);
        List<String> rebuild = dropSecondaryIndexes(db);
        CopyIn leaves = db.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY leaves (idx, idempotency_key, request_hash, entry_type, subject, model, logged_at,"
                        + " entry, leaf_hash, appended_by) FROM STDIN (FORMAT binary)");
        Binary rows = new Binary(leaves);
        long micros = ChronoUnit.MICROS.between(PG_EPOCH, leaf.loggedAt());
        for (long i = 0; i < count; i++) {
            byte[] bytes = leaf.bytes(i);
            rows.tuple(10)
                    .int8(start + i)
                    .text("bench-seed-" + i)
                    .bytes(leaf.requestHash())
                    .text("usage")
                    .text(leaf.subject())
                    .text(leaf.model())
                    .int8(micros)
                    .bytes(bytes)
                    .bytes(Hashes.leaf(bytes))
                    .text(leaf.appendedBy());
            rows.flushIfFull();
        }
        rows.end();
        Map<NodeId, byte[]> edge = new NodeRepository().read(db, CompactRange.edgeNodes(start));
        CompactRange tree = CompactRange.of(start, edge::get);
        Binary nodes = new Binary(db.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY tree_nodes (level, idx, hash) FROM STDIN (FORMAT binary)"));
        for (long i = 0; i < count; i++) {
            for (CompactRange.StoredNode node : tree.append(Hashes.leaf(leaf.bytes(i)))) {
                if (node.id().level() == 0) {
                    continue; // the leaf's own leaf_hash (V5)
                }
                nodes.tuple(3).int2(node.id().level()).int8(node.id().index()).bytes(node.hash());
            }
            nodes.flushIfFull();
        }
        nodes.end();
        try (Statement statement = db.createStatement()) {
            for (String sql : rebuild) {
                statement.execute(sql);
            }
        }
        db.commit();
        db.setAutoCommit(true);
        try (Statement statement = db.createStatement()) {
            statement.execute("VACUUM (ANALYZE) leaves");
            statement.execute("VACUUM (ANALYZE) tree_nodes");
        }
        return start + count;
    }

    /** Drops the leaves' unique constraint and non-key indexes; returns the statements that make them again. */
    private static List<String> dropSecondaryIndexes(Connection db) throws SQLException {
        List<String> drop = new ArrayList<>();
        List<String> rebuild = new ArrayList<>();
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE conrelid = 'leaves'::regclass AND contype = 'u'")) {
            while (rows.next()) {
                drop.add("ALTER TABLE leaves DROP CONSTRAINT " + rows.getString(1));
                rebuild.add("ALTER TABLE leaves ADD CONSTRAINT " + rows.getString(1) + " " + rows.getString(2));
            }
        }
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT i.indexrelid::regclass::text,"
                        + " pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = 'leaves'::regclass"
                        + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)")) {
            while (rows.next()) {
                drop.add("DROP INDEX " + rows.getString(1));
                rebuild.add(rows.getString(2));
            }
        }
        try (Statement statement = db.createStatement()) {
            for (String sql : drop) {
                statement.execute(sql);
            }
        }
        return rebuild;
    }

    /** The service's usage leaf the copies are made from: its row, and its bytes split around the token counts. */
    private record Template(
            byte[] requestHash,
            String subject,
            String model,
            Instant loggedAt,
            String appendedBy,
            String head,
            String middle,
            String tail) {

        static Template read(Connection db, long index) throws SQLException {
            try (PreparedStatement query = db.prepareStatement(
                    "SELECT request_hash, subject, model, logged_at, appended_by, entry FROM leaves WHERE idx = ?")) {
                query.setLong(1, index);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    String entry = new String(row.getBytes(6), StandardCharsets.UTF_8);
                    // RFC 8785 sorts the keys, so inputTokens comes before outputTokens; integers are plain digits.
                    int in = entry.indexOf("\"inputTokens\":10,");
                    int outAt = entry.indexOf("\"outputTokens\":20,");
                    if (in < 0 || outAt < in) {
                        throw new IllegalStateException("unexpected usage leaf: " + entry);
                    }
                    return new Template(
                            row.getBytes(1),
                            row.getString(2),
                            row.getString(3),
                            row.getTimestamp(4).toInstant(),
                            row.getString(5),
                            entry.substring(0, in) + "\"inputTokens\":",
                            entry.substring(in + "\"inputTokens\":10".length(), outAt) + "\"outputTokens\":",
                            entry.substring(outAt + "\"outputTokens\":20".length()));
                }
            }
        }

        /** Leaf {@code i}: distinct token counts, the canonical form kept (same keys, integers). */
        byte[] bytes(long i) {
            return (head + (1 + i / 1000) + middle + (i % 1000) + tail).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** PostgreSQL's binary COPY format, written in 4 MB chunks. */
    private static final class Binary {
        private final CopyIn copy;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 23);
        private final DataOutputStream data = new DataOutputStream(buffer);

        Binary(CopyIn copy) throws IOException {
            this.copy = copy;
            data.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
            data.writeInt(0);
            data.writeInt(0);
        }

        Binary tuple(int fields) throws IOException {
            data.writeShort(fields);
            return this;
        }

        Binary int8(long value) throws IOException {
            data.writeInt(8);
            data.writeLong(value);
            return this;
        }

        Binary int2(int value) throws IOException {
            data.writeInt(2);
            data.writeShort(value);
            return this;
        }

        Binary text(String value) throws IOException {
            return bytes(value.getBytes(StandardCharsets.UTF_8));
        }

        Binary bytes(byte[] value) throws IOException {
            data.writeInt(value.length);
            data.write(value);
            return this;
        }

        void flushIfFull() throws SQLException {
            if (buffer.size() >= 1 << 22) {
                flush();
            }
        }

        private void flush() throws SQLException {
            byte[] bytes = buffer.toByteArray();
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.reset();
        }

        void end() throws SQLException, IOException {
            data.writeShort(-1);
            flush();
            copy.endCopy();
        }
    }
}
