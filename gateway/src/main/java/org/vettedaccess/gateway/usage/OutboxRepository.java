package org.vettedaccess.gateway.usage;

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

/**
 * The outbox and the grants' budgets, in plain JDBC. The statements every model call makes (its PENDING record and
 * its completion) go through {@link RecordWriter}, which commits many calls' records together; the settle and complete
 * statements it batches are this class's ({@link #SETTLE}, {@link #COMPLETE}), so there is one copy of each. This
 * class has the rest: key events, the relay's reads and marks, closing abandoned calls, and the researcher's views.
 */
@ApplicationScoped
public class OutboxRepository {

    /**
     * Turns a PENDING call's budget reservation into spending (parameters: tokens spent, record id). Run before
     * {@link #COMPLETE} or the withdrawal in the same transaction: it reads the record while it is still PENDING.
     */
    static final String SETTLE = "UPDATE grant_budgets b SET reserved = greatest(b.reserved - o.reserved, 0),"
            + " spent = b.spent + ? FROM outbox o WHERE o.id = ? AND o.state = 'PENDING' AND o.budgeted"
            + " AND b.grant_id = o.grant_id";

    /** Completes a PENDING call's record, READY for the ledger (entry, input, output tokens, ready at, id). */
    static final String COMPLETE = "UPDATE outbox SET state = 'READY', entry = ?::jsonb, input_tokens = ?,"
            + " output_tokens = ?, ready_at = ? WHERE id = ? AND state = 'PENDING'";

    private final AgroalDataSource dataSource;

    public OutboxRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One record waiting for the ledger. */
    public record Ready(UUID id, String kind, String entry) {}

    /**
     * Completes one call's record with what it used, making it READY for the ledger, and turns its budget
     * reservation into spending, in one transaction (the relay closing a call a stopped gateway left PENDING; the
     * same statements as {@link GroupCommitWriter}'s batches).
     */
    public void closeCall(UUID id, long inputTokens, long outputTokens, String entry) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement settle = connection.prepareStatement(SETTLE)) {
                    settle.setLong(1, inputTokens + outputTokens);
                    settle.setObject(2, id);
                    settle.executeUpdate();
                }
                try (PreparedStatement update = connection.prepareStatement(COMPLETE)) {
                    update.setString(1, entry);
                    update.setLong(2, inputTokens);
                    update.setLong(3, outputTokens);
                    update.setTimestamp(4, Timestamp.from(Instant.now()));
                    update.setObject(5, id);
                    update.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** Queues an event (a key issued or revoked) in the caller's transaction, so it commits with the change. */
    public static void enqueue(Connection connection, UUID id, String kind, String subject, String entry)
            throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO outbox (id, kind, state, subject, entry, created_at, ready_at)"
                        + " VALUES (?, ?, 'READY', ?, ?::jsonb, ?, ?)")) {
            Timestamp now = Timestamp.from(Instant.now());
            insert.setObject(1, id);
            insert.setString(2, kind);
            insert.setString(3, subject);
            insert.setString(4, entry);
            insert.setTimestamp(5, now);
            insert.setTimestamp(6, now);
            insert.executeUpdate();
        }
    }

    /** Locks the oldest READY records for delivery; the caller's transaction holds them until it ends. */
    public static List<Ready> lockReady(Connection connection, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, kind, entry::text FROM outbox WHERE state = 'READY' ORDER BY ready_at LIMIT ?"
                        + " FOR UPDATE SKIP LOCKED")) {
            select.setInt(1, limit);
            try (ResultSet rows = select.executeQuery()) {
                List<Ready> ready = new ArrayList<>();
                while (rows.next()) {
                    ready.add(new Ready(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3)));
                }
                return ready;
            }
        }
    }

    /** Marks records delivered with the leaf index the ledger gave each (same order): one statement for a batch. */
    public static void markDelivered(Connection connection, List<UUID> ids, List<Long> indices) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE outbox o SET state = 'DELIVERED', ledger_index = d.ledger_index, delivered_at = ?"
                        + " FROM unnest(?::uuid[], ?::bigint[]) AS d(id, ledger_index) WHERE o.id = d.id")) {
            update.setTimestamp(1, Timestamp.from(Instant.now()));
            update.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
            update.setArray(3, connection.createArrayOf("bigint", indices.toArray()));
            update.executeUpdate();
        }
    }

    public static void markRejected(Connection connection, UUID id, String why) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE outbox SET state = 'REJECTED', rejection = ? WHERE id = ?")) {
            update.setString(1, why);
            update.setObject(2, id);
            update.executeUpdate();
        }
    }

    /** PENDING records older than {@code before}: calls whose gateway died mid-flight. */
    public List<Abandoned> abandoned(Instant before, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, reserved, entry::text FROM outbox WHERE state = 'PENDING' AND created_at < ?"
                                + " ORDER BY created_at LIMIT ?")) {
            select.setTimestamp(1, Timestamp.from(before));
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                List<Abandoned> found = new ArrayList<>();
                while (rows.next()) {
                    found.add(new Abandoned(rows.getObject(1, UUID.class), rows.getLong(2), rows.getString(3)));
                }
                return found;
            }
        }
    }

    /** A call left PENDING by a gateway that stopped mid-flight. */
    public record Abandoned(UUID id, long reserved, String pendingEntry) {}

    /** How many records wait for the ledger, and the age of the oldest in milliseconds. */
    public record Backlog(long count, long oldestMillis) {}

    public Backlog backlog() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT count(*), coalesce(extract(epoch FROM now() - min(ready_at)) * 1000, 0)"
                                + " FROM outbox WHERE state = 'READY'");
                ResultSet row = select.executeQuery()) {
            row.next();
            return new Backlog(row.getLong(1), row.getLong(2));
        }
    }

    /** Tokens a subject used per day and model, from the records of their calls (the portal's chart). */
    public record DailyUsage(String day, String model, long inputTokens, long outputTokens, long calls) {}

    public List<DailyUsage> dailyUsage(String subject, Instant from) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD'), model,"
                                + " sum(input_tokens), sum(output_tokens), count(*) FROM outbox"
                                + " WHERE subject = ? AND kind = 'usage' AND state <> 'PENDING' AND created_at >= ?"
                                + " GROUP BY 1, 2 ORDER BY 1, 2")) {
            select.setString(1, subject);
            select.setTimestamp(2, Timestamp.from(from));
            try (ResultSet rows = select.executeQuery()) {
                List<DailyUsage> usage = new ArrayList<>();
                while (rows.next()) {
                    usage.add(new DailyUsage(
                            rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)));
                }
                return usage;
            }
        }
    }

    /** One call's record, as its researcher may see it: the receipt that ties a response to its ledger leaf. */
    public record CallReceipt(
            UUID requestId,
            String model,
            String state,
            Long ledgerIndex,
            long inputTokens,
            long outputTokens,
            String status) {}

    public Optional<CallReceipt> receipt(UUID id, String subject) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, model, state, ledger_index, input_tokens, output_tokens, entry->>'status'"
                                + " FROM outbox WHERE id = ? AND subject = ? AND kind = 'usage'")) {
            select.setObject(1, id);
            select.setString(2, subject);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                // Null until the relay has delivered the leaf (wasNull after the later columns would ask the wrong
                // one).
                Long index = row.getObject(4, Long.class);
                return Optional.of(new CallReceipt(
                        row.getObject(1, UUID.class),
                        row.getString(2),
                        row.getString(3),
                        index,
                        row.getLong(5),
                        row.getLong(6),
                        row.getString(7)));
            }
        }
    }

    /** A call in the researcher's list of recent calls: its receipt and when it was made. */
    public record RecentCall(Instant at, CallReceipt receipt) {}

    /** The subject's newest finished calls (not those still in flight), newest first. */
    public List<RecentCall> recentCalls(String subject, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, model, state, ledger_index, input_tokens, output_tokens, entry->>'status',"
                                + " created_at FROM outbox WHERE subject = ? AND kind = 'usage' AND state <> 'PENDING'"
                                + " ORDER BY created_at DESC LIMIT ?")) {
            select.setString(1, subject);
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                List<RecentCall> calls = new ArrayList<>();
                while (rows.next()) {
                    calls.add(new RecentCall(
                            rows.getTimestamp(8).toInstant(),
                            new CallReceipt(
                                    rows.getObject(1, UUID.class),
                                    rows.getString(2),
                                    rows.getString(3),
                                    rows.getObject(4, Long.class),
                                    rows.getLong(5),
                                    rows.getLong(6),
                                    rows.getString(7))));
                }
                return calls;
            }
        }
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** A grant's token budget as its researcher sees it. */
    public record GrantBudget(UUID grantId, long budget, long spent, long reserved, long remaining) {}

    /** The budgets of the grants a subject has called models under. */
    public List<GrantBudget> budgetsOf(String subject) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT b.grant_id, b.budget, b.spent, b.reserved FROM grant_budgets b WHERE b.grant_id IN"
                                + " (SELECT DISTINCT grant_id FROM outbox WHERE subject = ? AND kind = 'usage')"
                                + " ORDER BY b.grant_id")) {
            select.setString(1, subject);
            try (ResultSet rows = select.executeQuery()) {
                List<GrantBudget> budgets = new ArrayList<>();
                while (rows.next()) {
                    long budget = rows.getLong(2);
                    long spent = rows.getLong(3);
                    long reserved = rows.getLong(4);
                    budgets.add(new GrantBudget(
                            rows.getObject(1, UUID.class),
                            budget,
                            spent,
                            reserved,
                            Math.max(0, budget - spent - reserved)));
                }
                return budgets;
            }
        }
    }
}
