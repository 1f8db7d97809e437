package org.vettedaccess.gateway.usage;

import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The two durable records of every model call: its PENDING record (the worst case, with the reservation of the
 * grant's durable token budget) before the forward, and its completion after, which the outbox relay delivers to
 * the ledger. {@link GroupCommitWriter} writes them; the call stages see only this.
 */
public interface RecordWriter {

    /**
     * Queues the PENDING record of a call about to be forwarded and, when the grant has a budget ({@code budget}
     * not null), the reservation of {@code reserve} tokens of it; returns at once (an event loop calls it). The
     * stage completes, on the writer's thread, once the record is committed: true, or false (nothing written) if
     * the budget cannot cover the reservation; or fails with the {@link SQLException}.
     */
    CompletableFuture<Boolean> openLater(
            UUID id, String subject, String model, UUID grantId, Long budget, long reserve, String pendingEntry);

    /**
     * Completes a forwarded call's record (READY for the ledger, with the tokens it used) and turns its budget
     * reservation into spending of {@code charged} tokens, without waiting (an event loop may call it). The stage
     * completes once the completion is committed, or fails with the {@link SQLException}.
     */
    CompletableFuture<Boolean> closeLater(
            UUID id, UUID grantId, long inputTokens, long outputTokens, long charged, String entry);

    /** {@link #closeLater}, waiting for the commit (a worker thread calls it, to try again). */
    void close(UUID id, UUID grantId, long inputTokens, long outputTokens, long charged, String entry)
            throws SQLException;

    /** Removes the record of a call that was never forwarded and frees its budget reservation; waits. */
    void withdraw(UUID id, UUID grantId) throws SQLException;
}
