package org.vettedaccess.kyc.emailproof;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.vettedaccess.kyc.config.KycConfig;

/** Sends the one-time code through the lab's SMTP server (a mock mailbox in dev and test). */
@ApplicationScoped
public class ProofMailer {

    private final Mailer mailer;
    private final KycConfig config;

    public ProofMailer(Mailer mailer, KycConfig config) {
        this.mailer = mailer;
        this.config = config;
    }

    // A bounded wait so a stuck SMTP server cannot hold the request; no retry, which could mail two codes.
    @Timeout(10_000)
    public void send(String to, String code, Duration lifetime) {
        String text = "Your code to confirm this address for your application to "
                + config.emailProof().labName()
                + " is:\n\n    " + code
                + "\n\nIt works for " + lifetime.toMinutes()
                + " minutes. If you did not apply, ignore this message; nothing happens without the code.\n";
        mailer.send(Mail.withText(to, "Confirm your institutional email address", text));
    }
}
