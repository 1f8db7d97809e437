package org.vettedaccess.support.durability;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the commits this service acknowledges are durable: its own sessions run with {@code synchronous_commit}
 * on (or stronger) on a server with {@code fsync} on. Every service acknowledges records a regulator relies on
 * (ledger leaves, usage records, decisions), so a database that would lose acknowledged commits in a crash makes the
 * service not ready rather than quietly breaking "never lose a record".
 */
@Readiness
@ApplicationScoped
public class DurableCommitReadiness implements HealthCheck {

    private final AgroalDataSource dataSource;

    public DurableCommitReadiness(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        String synchronousCommit;
        String fsync;
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT current_setting('synchronous_commit'), current_setting('fsync')")) {
            rows.next();
            synchronousCommit = rows.getString(1);
            fsync = rows.getString(2);
        } catch (SQLException e) {
            // The datasource's own check reports the database as unreachable; this one judges only a reachable one.
            return HealthCheckResponse.named("durable-commits")
                    .down()
                    .withData("error", "the database cannot be asked")
                    .build();
        }
        return HealthCheckResponse.named("durable-commits")
                .status(durable(synchronousCommit, fsync))
                .withData("synchronous_commit", synchronousCommit)
                .withData("fsync", fsync)
                .build();
    }

    /** {@code off} acknowledges before the WAL is flushed; {@code local} and the remote levels all flush it. */
    static boolean durable(String synchronousCommit, String fsync) {
        return "on".equals(fsync) && !"off".equals(synchronousCommit);
    }
}
