package org.vettedaccess.gateway.portal;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Keycloak session ids whose portal sessions have ended, shared by every gateway replica through PostgreSQL. */
@ApplicationScoped
public class EndedSessions {

    private final AgroalDataSource dataSource;

    public EndedSessions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void end(String sid, String subject, Instant at) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO portal_ended_sessions"
                        + " (sid, subject, ended_at) VALUES (?, ?, ?) ON CONFLICT (sid) DO NOTHING")) {
            insert.setString(1, sid);
            insert.setString(2, subject == null ? "" : subject);
            insert.setTimestamp(3, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    boolean ended(String sid) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT 1 FROM portal_ended_sessions WHERE sid = ?")) {
            select.setString(1, sid);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }
}
