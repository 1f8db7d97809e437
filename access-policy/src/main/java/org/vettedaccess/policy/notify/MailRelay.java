package org.vettedaccess.policy.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.Map;
import org.vettedaccess.support.outbox.JtaTransactions;
import org.vettedaccess.support.outbox.LedgerOutbox;

/**
 * The mail outbox (table {@code mail_outbox}, V13): service-support's outbox relay with an SMTP sink instead of
 * the ledger, so a mail is queued in the transaction that files a report or trips a rule and sent after it commits,
 * on the relay's own thread ({@code mail-outbox}; its log lines start "mail outbox:") (ADR 0041). SMTP down never
 * fails or slows the change; the mail waits and is retried.
 */
@ApplicationScoped
public class MailRelay {

    /** The mail relay's advisory lock in access-policy's database ("va-mail" in ASCII), apart from the ledger's. */
    static final long LOCK_KEY = 0x76612d6d61696cL;

    static final String TYPE = "mail";

    private final LedgerOutbox outbox;

    public MailRelay(
            AgroalDataSource dataSource,
            TransactionSynchronizationRegistry registry,
            ReactiveMailer mailer,
            ObjectMapper json,
            NotifyConfig config) {
        this.outbox = new LedgerOutbox(
                dataSource,
                new JtaTransactions(dataSource, registry),
                (key, type, entry) -> {
                    mailer.send(Mail.withText((String) entry.get("to"), (String) entry.get("subject"), (String)
                                    entry.get("text")))
                            .await()
                            .atMost(config.sendTimeout());
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

    void start(@Observes StartupEvent event) {
        outbox.start();
    }

    void stop(@Observes ShutdownEvent event) {
        outbox.close();
    }
}
