package org.vettedaccess.kyc.emailproof;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.vettedaccess.kyc.config.KycConfig;
import org.vettedaccess.support.mail.EventLoopMailer;

/**
 * Sends the one-time code through the lab's SMTP server (a mock mailbox in dev and test).
 *
 * <p>The mail is handed to the mail client on an event-loop context of its own, never from the request's worker
 * thread, through service-support's {@link EventLoopMailer}: started from a worker thread, Vert.x's mail client lost
 * the server's greeting about one mail in 25, which then hung for the whole timeout (ADR 0049).
 */
@ApplicationScoped
public class ProofMailer {

    /** A bounded wait so a stuck SMTP server cannot hold the request; no retry, which could mail two codes. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopMailer mailer;
    private final KycConfig config;

    public ProofMailer(ReactiveMailer mailer, KycConfig config, Vertx vertx) {
        this.mailer = new EventLoopMailer(mailer, vertx);
        this.config = config;
    }

    /** Mails the code, or throws (the caller records nothing and answers 503). */
    public void send(String to, String code, Duration lifetime) {
        String text = "Your code to confirm this address for your application to "
                + config.emailProof().labName()
                + " is:\n\n    " + code
                + "\n\nIt works for " + lifetime.toMinutes()
                + " minutes. If you did not apply, ignore this message; nothing happens without the code.\n";
        mailer.send(Mail.withText(to, "Confirm your institutional email address", text), SEND_TIMEOUT);
    }
}
