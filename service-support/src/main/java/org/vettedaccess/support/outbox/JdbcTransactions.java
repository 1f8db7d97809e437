package org.vettedaccess.support.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * {@link Transactions} over plain JDBC, for the services' unit tests (the services themselves use
 * {@link JtaTransactions}): a thread's "current" transaction is one connection.
 */
public final class JdbcTransactions implements Transactions {

    private final DataSource dataSource;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> afterCommit = ThreadLocal.withInitial(ArrayList::new);

    public JdbcTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} as the caller's transaction: committed if it returns, rolled back if it throws. */
    public void transaction(Work work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            current.set(connection);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                afterCommit.get().clear();
                throw e;
            } finally {
                current.remove();
            }
        }
        List<Runnable> hooks = List.copyOf(afterCommit.get());
        afterCommit.get().clear();
        hooks.forEach(Runnable::run);
    }

    @Override
    public void current(Work work) throws SQLException {
        Connection connection = current.get();
        if (connection == null) {
            throw new IllegalStateException("no transaction");
        }
        work.run(connection);
    }

    @Override
    public void afterCommit(Runnable hook) {
        afterCommit.get().add(hook);
    }

    @Override
    public void inNew(Work work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            Connection outer = current.get();
            current.set(connection);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                if (outer == null) {
                    current.remove();
                } else {
                    current.set(outer);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public <T> T outside(Supplier<T> work) {
        Connection outer = current.get();
        current.remove();
        try {
            return work.get();
        } finally {
            if (outer != null) {
                current.set(outer);
            }
        }
    }
}
