package org.vettedaccess.gateway.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The statements of one group-committed transaction: PENDING records (with their budget reservations) first, then
 * the completions and withdrawals riding along with them. Every transaction touches the grants' budget rows in one
 * order ({@link #GRANTS}, nondecreasing), so two transactions, on one replica or two, cannot deadlock on them.
 */
final class RecordBatch {

    /** The order budget rows are touched in, within every transaction. */
    static final Comparator<UUID> GRANTS = Comparator.nullsFirst(Comparator.naturalOrder());

    private static final String INSERT = "INSERT INTO outbox (id, kind, state, subject, model, grant_id, budgeted,"
            + " reserved, entry, created_at) VALUES (?, 'usage', 'PENDING', ?, ?, ?, false, ?, ?::jsonb, ?)";
    // The budget row is made on first use; a reservation succeeds only if spent + reserved stays within it.
    private static final String RESERVE_AND_INSERT = "WITH budget AS ("
            + " INSERT INTO grant_budgets AS b (grant_id, budget, spent, reserved)"
            + " SELECT ?, ?, 0, ? WHERE ? <= ?"
            + " ON CONFLICT (grant_id) DO UPDATE SET reserved = b.reserved + EXCLUDED.reserved,"
            + " budget = EXCLUDED.budget"
            + " WHERE b.spent + b.reserved + EXCLUDED.reserved <= EXCLUDED.budget"
            + " RETURNING 1)"
            + " INSERT INTO outbox (id, kind, state, subject, model, grant_id, budgeted, reserved,"
            + " entry, created_at)"
            + " SELECT ?, 'usage', 'PENDING', ?, ?, ?, true, ?, ?::jsonb, ? FROM budget";
    private static final String WITHDRAW = "DELETE FROM outbox WHERE id = ? AND state = 'PENDING'";

    private RecordBatch() {}

    /** A record waiting in a writer's queue. */
    sealed interface Queued permits Open, Close {
        CompletableFuture<Boolean> done();
    }

    /** A PENDING record to write; {@code budget} null when the grant has none. */
    record Open(
            UUID id,
            String subject,
            String model,
            UUID grantId,
            Long budget,
            long reserve,
            String entry,
            Timestamp at,
            CompletableFuture<Boolean> done)
            implements Queued {}

    /**
     * A completion ({@code entry} set) or the withdrawal of a call never forwarded ({@code entry} null), queued at
     * {@code queuedNanos} ({@link System#nanoTime()}).
     */
    record Close(
            UUID id,
            UUID grantId,
            long charged,
            String entry,
            long inputTokens,
            long outputTokens,
            Timestamp at,
            long queuedNanos,
            CompletableFuture<Boolean> done)
            implements Queued {}

    /** The last budget row (in {@link #GRANTS} order) the given PENDING records touch; null if none does. */
    static UUID lastBudgetRow(List<Open> opens) {
        UUID last = null;
        for (Open open : opens) {
            if (open.budget() != null && (last == null || GRANTS.compare(open.grantId(), last) > 0)) {
                last = open.grantId();
            }
        }
        return last;
    }

    /**
     * Whether a completion may join a transaction whose PENDING records' last budget row is {@code last}: only if
     * its own budget row (if any) comes no earlier, so the transaction still touches budget rows in order.
     */
    static boolean mayFollow(UUID last, Close close) {
        return last == null || close.grantId() == null || GRANTS.compare(close.grantId(), last) >= 0;
    }

    /** Writes the batch in the given transaction; returns what answers its callers once that has committed. */
    static Runnable write(Connection connection, List<? extends Queued> batch) throws SQLException {
        List<Open> opens = new ArrayList<>();
        List<Close> closes = new ArrayList<>();
        for (Queued item : batch) {
            if (item instanceof Open open) {
                opens.add(open);
            } else {
                closes.add((Close) item);
            }
        }
        Runnable opened = opens.isEmpty() ? () -> {} : writeOpens(connection, opens);
        Runnable closed = closes.isEmpty() ? () -> {} : writeCloses(connection, closes);
        return () -> {
            opened.run();
            closed.run();
        };
    }

    static void fail(Queued item, Exception e) {
        item.done().completeExceptionally(e);
    }

    private static Runnable writeOpens(Connection connection, List<Open> batch) throws SQLException {
        batch.sort(Comparator.comparing(Open::grantId, GRANTS));
        List<Open> plain = new ArrayList<>();
        List<Open> budgeted = new ArrayList<>();
        for (Open open : batch) {
            (open.budget() == null ? plain : budgeted).add(open);
        }
        if (!plain.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (Open open : plain) {
                    insert.setObject(1, open.id());
                    insert.setString(2, open.subject());
                    insert.setString(3, open.model());
                    insert.setObject(4, open.grantId());
                    insert.setLong(5, open.reserve());
                    insert.setString(6, open.entry());
                    insert.setTimestamp(7, open.at());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        int[] written = new int[0];
        if (!budgeted.isEmpty()) {
            // Statements in a batch run in order, each seeing the reservations before it.
            try (PreparedStatement reserve = connection.prepareStatement(RESERVE_AND_INSERT)) {
                for (Open open : budgeted) {
                    reserve.setObject(1, open.grantId());
                    reserve.setLong(2, open.budget());
                    reserve.setLong(3, open.reserve());
                    reserve.setLong(4, open.reserve());
                    reserve.setLong(5, open.budget());
                    reserve.setObject(6, open.id());
                    reserve.setString(7, open.subject());
                    reserve.setString(8, open.model());
                    reserve.setObject(9, open.grantId());
                    reserve.setLong(10, open.reserve());
                    reserve.setString(11, open.entry());
                    reserve.setTimestamp(12, open.at());
                    reserve.addBatch();
                }
                written = reserve.executeBatch();
            }
        }
        int[] reserved = written;
        return () -> {
            plain.forEach(open -> open.done().complete(true));
            for (int i = 0; i < budgeted.size(); i++) {
                budgeted.get(i).done().complete(reserved[i] == 1);
            }
        };
    }

    private static Runnable writeCloses(Connection connection, List<Close> batch) throws SQLException {
        batch.sort(Comparator.comparing(Close::grantId, GRANTS));
        try (PreparedStatement settle = connection.prepareStatement(OutboxRepository.SETTLE)) {
            for (Close close : batch) {
                settle.setLong(1, close.charged());
                settle.setObject(2, close.id());
                settle.addBatch();
            }
            settle.executeBatch();
        }
        List<Close> completions = batch.stream().filter(c -> c.entry() != null).toList();
        List<Close> withdrawals = batch.stream().filter(c -> c.entry() == null).toList();
        if (!completions.isEmpty()) {
            try (PreparedStatement complete = connection.prepareStatement(OutboxRepository.COMPLETE)) {
                for (Close close : completions) {
                    complete.setString(1, close.entry());
                    complete.setLong(2, close.inputTokens());
                    complete.setLong(3, close.outputTokens());
                    complete.setTimestamp(4, close.at());
                    complete.setObject(5, close.id());
                    complete.addBatch();
                }
                complete.executeBatch();
            }
        }
        if (!withdrawals.isEmpty()) {
            try (PreparedStatement withdraw = connection.prepareStatement(WITHDRAW)) {
                for (Close close : withdrawals) {
                    withdraw.setObject(1, close.id());
                    withdraw.addBatch();
                }
                withdraw.executeBatch();
            }
        }
        return () -> batch.forEach(close -> close.done().complete(true));
    }
}
