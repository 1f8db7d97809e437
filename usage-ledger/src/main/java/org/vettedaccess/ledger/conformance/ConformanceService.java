package org.vettedaccess.ledger.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.vettedaccess.ledger.checkpoint.CheckpointRecord;
import org.vettedaccess.ledger.checkpoint.CheckpointService;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.core.ScopeTags;
import org.vettedaccess.ledger.tree.TreeReader;
import org.vettedaccess.ledger.verifier.conformance.Conformance;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Runs the conformance replay (ledger-verifier's, ADR 0010) over the stored leaves, up to the newest checkpoint,
 * so that every violation's leaves can be proven against a signed tree head. The leaves are streamed from the
 * database; only the policy leaves and a compact form of each usage are held.
 */
@ApplicationScoped
public class ConformanceService {

    private static final int FETCH = 2_000;

    private final AgroalDataSource dataSource;
    private final CheckpointService checkpoints;
    private final List<ScopeTags> scopeKeys;

    public ConformanceService(AgroalDataSource dataSource, CheckpointService checkpoints, LedgerConfig config) {
        this.dataSource = dataSource;
        this.checkpoints = checkpoints;
        this.scopeKeys = config.scopeTagKeys().orElse(List.of()).stream()
                .filter(k -> !k.isBlank())
                .map(ScopeTags::parse)
                .toList();
    }

    /**
     * Checks the leaves of {@code [from, to)} (indices), or those logged in {@code [since, until)} (times), against
     * the policy replayed from index 0; {@code to} defaults to the newest checkpoint's size.
     */
    public ObjectNode check(Long from, Long to, Instant since, Instant until, long boundMillis) {
        CheckpointRecord newest = checkpoints
                .latest()
                .orElseThrow(
                        () -> new ProblemException(ProblemType.NOT_FOUND, "No checkpoint has been published yet."));
        long size = newest.treeSize();
        try (Connection connection = dataSource.getConnection()) {
            long start = from != null ? from : since != null ? firstAt(connection, since, size) : 0;
            long end = Math.min(size, to != null ? to : until != null ? firstAt(connection, until, size) : size);
            Conformance conformance = new Conformance(Duration.ofMillis(boundMillis), scopeKeys);
            connection.setAutoCommit(false);
            try (PreparedStatement query =
                    connection.prepareStatement("SELECT idx, entry FROM leaves WHERE idx < ? ORDER BY idx")) {
                // A cursor (autocommit off, a fetch size): the whole log never sits in memory at once.
                query.setFetchSize(FETCH);
                query.setLong(1, end);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        conformance.add(rows.getLong(1), rows.getBytes(2));
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            ObjectNode report = conformance.check(Math.min(start, end), end).toJson();
            report.put("treeSize", size);
            report.put("checkpoint", newest.note());
            return report;
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }

    /** The first index logged at or after {@code at} (below {@code size}), or {@code size} if none is. */
    private static long firstAt(Connection connection, Instant at, long size) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement("SELECT min(idx) FROM leaves WHERE logged_at >= ? AND idx < ?")) {
            query.setTimestamp(1, Timestamp.from(at));
            query.setLong(2, size);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                long first = rows.getLong(1);
                return rows.wasNull() ? size : first;
            }
        }
    }
}
