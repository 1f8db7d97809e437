package org.vettedaccess.ledger.export;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A connection whose queries stream rows through a server-side cursor: PostgreSQL's driver only does that inside a
 * transaction and with a fetch size, otherwise it reads the whole result into memory. Closing ends the (read-only)
 * transaction and gives the connection back in auto-commit mode.
 */
final class Cursor implements AutoCloseable {

    private final Connection connection;

    private Cursor(Connection connection) {
        this.connection = connection;
    }

    static Cursor open(AgroalDataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new Cursor(connection);
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } finally {
            connection.close();
        }
    }
}
