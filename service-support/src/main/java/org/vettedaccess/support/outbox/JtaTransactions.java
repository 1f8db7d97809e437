package org.vettedaccess.support.outbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * {@link Transactions} in a Quarkus service: Agroal enlists a connection taken inside a JTA transaction in that
 * transaction (the same one Hibernate uses), so an outbox row written with plain JDBC commits with the entities.
 */
public final class JtaTransactions implements Transactions {

    private final DataSource dataSource;
    private final TransactionSynchronizationRegistry registry;
    private final Object key = new Object();

    public JtaTransactions(DataSource dataSource, TransactionSynchronizationRegistry registry) {
        this.dataSource = dataSource;
        this.registry = registry;
    }

    @Override
    public void current(Work work) throws SQLException {
        if (registry.getTransactionKey() == null) {
            throw new IllegalStateException("a ledger outbox row must be written in the change's transaction");
        }
        try (Connection connection = dataSource.getConnection()) {
            work.run(connection);
        }
    }

    @Override
    public void afterCommit(Runnable afterCommit) {
        // One wake-up per transaction, however many rows it queued.
        if (registry.getResource(key) != null) {
            return;
        }
        registry.putResource(key, Boolean.TRUE);
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    afterCommit.run();
                }
            }
        });
    }

    @Override
    public void inNew(Work work) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    work.run(connection);
                } catch (SQLException e) {
                    throw new IllegalStateException("the ledger outbox cannot be updated: " + e.getMessage(), e);
                }
            });
        } catch (QuarkusTransactionException e) {
            throw unwrapped(e);
        }
    }

    @Override
    public <T> T outside(Supplier<T> work) {
        try {
            return QuarkusTransaction.suspendingExisting().call(work::get);
        } catch (QuarkusTransactionException e) {
            throw unwrapped(e);
        }
    }

    /** The runner wraps what the work threw; callers handle the outbox's own exceptions, so hand those back. */
    private static RuntimeException unwrapped(QuarkusTransactionException e) {
        return e.getCause() instanceof RuntimeException cause ? cause : e;
    }
}
