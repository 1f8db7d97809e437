package org.vettedaccess.suite;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The PostgreSQL server the suite's services keep their data in: embedded by default, or an external one. */
public interface SuiteDatabase {

    String host();

    int port();

    String user();

    String password();

    /** One line for the progress output: what this database is and where its data lives. */
    String description();

    /** Stops the server if the suite started it; an external server is left alone. */
    void stop();

    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** Creates each service's database if it does not exist yet; the services' Flyway does the rest. */
    default void createDatabases(List<String> names) throws SuiteException {
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), user(), password())) {
            for (String name : names) {
                try (PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                    exists.setString(1, name);
                    try (ResultSet row = exists.executeQuery()) {
                        if (row.next()) {
                            continue;
                        }
                    }
                }
                try (Statement create = admin.createStatement()) {
                    // The name is one of the suite's own constants, never user input.
                    create.execute("CREATE DATABASE " + name);
                }
            }
        } catch (SQLException e) {
            throw new SuiteException("cannot prepare the databases on " + host() + ":" + port() + " as " + user() + ": "
                    + e.getMessage());
        }
    }
}
