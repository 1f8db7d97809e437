package org.vettedaccess.policy.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.vettedaccess.support.mail.EventLoopMailer;
import org.vettedaccess.support.outbox.JtaTransactions;
import org.vettedaccess.support.outbox.LedgerOutbox;
import org.vettedaccess.support.outbox.Transactions;

/**
 * The mail outbox (table {@code mail_outbox}, V13): service-support's outbox relay with an SMTP sink instead of
 * the ledger, so a mail is queued in the transaction that files a report or trips a rule and sent after it commits,
 * on the relay's own thread ({@code mail-outbox}; its log lines start "mail outbox:") (ADR 0041). SMTP down never
 * fails or slows the change; the mail waits and is retried.
 *
 * <p>Each send starts on an event loop ({@link EventLoopMailer}; from the relay's thread the mail client lost the
 * server's greeting about one send in 18 and hung for the whole timeout) and is awaited on the relay's thread (ADR
 * 0049). A send that timed out may still go through, and a row whose send went through may fail to be marked: for
 * {@code resend-after} the row's retry waits on that send instead of sending again, so the server gets one copy.
 * Every copy of one row carries the same Message-ID, by which mail stores recognise a copy sent again after a
 * restart.
 */
@ApplicationScoped
public class MailRelay {

    /** The mail relay's advisory lock in access-policy's database ("va-mail" in ASCII), apart from the ledger's. */
    static final long LOCK_KEY = 0x76612d6d61696cL;

    static final String TYPE = "mail";

    private final LedgerOutbox outbox;
    private final EventLoopMailer mailer;
    private final NotifyConfig config;
    private final Map<String, Attempt> going = new ConcurrentHashMap<>();

    /** A send of one row, started at {@code startedAt} (nanoTime). */
    private record Attempt(CompletableFuture<Void> sending, long startedAt) {}

    @Inject
    public MailRelay(
            AgroalDataSource dataSource,
            TransactionSynchronizationRegistry registry,
            ReactiveMailer mailer,
            Vertx vertx,
            ObjectMapper json,
            NotifyConfig config) {
        this(dataSource, new JtaTransactions(dataSource, registry), new EventLoopMailer(mailer, vertx), json, config);
    }

    MailRelay(
            DataSource dataSource,
            Transactions transactions,
            EventLoopMailer mailer,
            ObjectMapper json,
            NotifyConfig config) {
        this.mailer = mailer;
        this.config = config;
        this.outbox = new LedgerOutbox(
                dataSource,
                transactions,
                (key, type, entry) -> {
                    send(key, entry);
                    // The outbox stores a leaf index per row; a mail has none.
                    return 0L;
                },
                List.of(),
                json,
                new LedgerOutbox.Settings(
                        "mail outbox", "mail_outbox", LOCK_KEY, config.relayInterval(), config.sendTimeout()));
    }

    /** Queues one mail in the caller's transaction; {@code key} makes the same notice to the same address one row. */
    void enqueue(String key, String to, String subject, String text) {
        outbox.enqueue(key, TYPE, Map.of("to", to, "subject", subject, "text", text), null);
    }

    /**
     * Sends one row's mail, or joins its earlier send if that one may still go through or went through (its row's
     * mark may have failed after it); throws if it did not go. Sends are kept for {@code resend-after}.
     */
    private void send(String key, Map<String, Object> entry) {
        long now = System.nanoTime();
        long keep = config.resendAfter().toNanos();
        going.values().removeIf(old -> now - old.startedAt() > keep);
        Attempt attempt = going.compute(key, (k, earlier) -> {
            if (earlier != null && !earlier.sending().isCompletedExceptionally()) {
                return earlier;
            }
            return new Attempt(mailer.start(mail(key, entry)), now);
        });
        EventLoopMailer.await(attempt.sending(), config.sendTimeout());
    }

    static Mail mail(String key, Map<String, Object> entry) {
        Mail mail = Mail.withText((String) entry.get("to"), (String) entry.get("subject"), (String) entry.get("text"));
        return mail.addHeader("Message-ID", messageId(key));
    }

    /** The same for every copy of one row (its idempotency key), and for no other. */
    static String messageId(String key) {
        return "<" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)) + "@access-policy.vetted-access>";
    }

    /** Rows not yet sent. */
    long pending() {
        return outbox.pending();
    }

    void start(@Observes StartupEvent event) {
        start();
    }

    void start() {
        outbox.start();
    }

    void stop(@Observes ShutdownEvent event) {
        close();
    }

    void close() {
        outbox.close();
    }
}
