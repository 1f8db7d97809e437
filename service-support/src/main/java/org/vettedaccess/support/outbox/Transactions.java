package org.vettedaccess.support.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/** How the outbox joins, starts and steps outside transactions: JTA in the services, plain JDBC in unit tests. */
public interface Transactions {

    /** Runs {@code work} on the caller's transaction's connection (the row commits or rolls back with the change). */
    void current(Work work) throws SQLException;

    /** Runs {@code afterCommit} once the caller's transaction has committed (never if it rolls back). */
    void afterCommit(Runnable afterCommit);

    /** Runs {@code work} in a new transaction that commits when it returns; callbacks run in it too. */
    void inNew(Work work);

    /** Runs {@code work} with no transaction active (the caller's, if any, suspended meanwhile). */
    <T> T outside(Supplier<T> work);

    @FunctionalInterface
    interface Work {
        void run(Connection connection) throws SQLException;
    }
}
