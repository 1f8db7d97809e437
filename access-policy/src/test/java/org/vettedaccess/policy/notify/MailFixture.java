package org.vettedaccess.policy.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.mail.MailClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.reflect.Constructor;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.vettedaccess.support.mail.EventLoopMailer;
import org.vettedaccess.support.outbox.JdbcTransactions;

/**
 * What the mail relay's tests run on: a real PostgreSQL with access-policy's migrations, a real Vert.x mail client
 * behind Quarkus's own ReactiveMailer, configured as the local suite configures access-policy's (no TLS, one
 * connection per mail, EHLO "localhost").
 */
final class MailFixture implements AutoCloseable {

    final EmbeddedPostgres postgres;
    final DataSource dataSource;
    final JdbcTransactions transactions;
    final Vertx vertx = Vertx.vertx();
    private final List<AutoCloseable> relays = new ArrayList<>();

    MailFixture() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure()
                .dataSource(postgres.getPostgresDatabase())
                .locations("classpath:db/migration")
                .schemas("policy")
                .defaultSchema("policy")
                .load()
                .migrate();
        dataSource = postgres.getDatabase("postgres", "postgres", Map.of("currentSchema", "policy"));
        transactions = new JdbcTransactions(dataSource);
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Quarkus's ReactiveMailer as its extension builds it (its constructor is the extension's own, so it is called
     * here by reflection), sending to 127.0.0.1:{@code port}.
     */
    ReactiveMailer mailer(int port) throws Exception {
        MailClient client = MailClient.create(
                vertx,
                new MailConfig()
                        .setHostname("127.0.0.1")
                        .setPort(port)
                        .setStarttls(StartTLSOptions.DISABLED)
                        .setKeepAlive(false)
                        .setOwnHostname("localhost"));
        Class<?> type = Class.forName("io.quarkus.mailer.runtime.MutinyMailerImpl");
        Constructor<?> made = type.getDeclaredConstructors()[0];
        made.setAccessible(true);
        return (ReactiveMailer) made.newInstance(
                vertx, client, null, "access-policy@example-lab.org", null, false, List.of(), false, false, null);
    }

    /** A relay with the service's defaults but a shorter timeout and loop, so a failing run ends sooner. */
    MailRelay relay(ReactiveMailer mailer, Duration sendTimeout, List<String> triagers) {
        MailRelay relay = new MailRelay(
                dataSource,
                transactions,
                new EventLoopMailer(mailer, vertx.getDelegate()),
                new ObjectMapper(),
                config(sendTimeout, triagers));
        relays.add(relay::close);
        return relay;
    }

    static NotifyConfig config(Duration sendTimeout, List<String> triagers) {
        return new NotifyConfig() {
            @Override
            public Optional<List<String>> triagers() {
                return Optional.of(triagers);
            }

            @Override
            public Optional<List<String>> admins() {
                return Optional.empty();
            }

            @Override
            public Duration sendTimeout() {
                return sendTimeout;
            }

            @Override
            public Duration resendAfter() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Duration relayInterval() {
                return Duration.ofMillis(200);
            }
        };
    }

    /** Waits (at most {@code bound}) until the relay has no row left; true if it got there. */
    static boolean drained(MailRelay relay, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (relay.pending() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** The rows a send failed or timed out on, with their last error. */
    List<String> failedRows() throws SQLException {
        List<String> failed = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement select = connection.createStatement();
                ResultSet rows = select.executeQuery("SELECT idempotency_key, attempts, last_error FROM mail_outbox"
                        + " WHERE attempts > 0 ORDER BY id")) {
            while (rows.next()) {
                failed.add(rows.getString(1) + " (" + rows.getInt(2) + "x: " + rows.getString(3) + ")");
            }
        }
        return failed;
    }

    void emptyOutbox() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement delete = connection.createStatement()) {
            delete.execute("DELETE FROM mail_outbox");
        }
    }

    void stopRelays() throws Exception {
        for (AutoCloseable relay : relays) {
            relay.close();
        }
        relays.clear();
    }

    @Override
    public void close() throws Exception {
        stopRelays();
        vertx.closeAndAwait();
        postgres.close();
    }
}
