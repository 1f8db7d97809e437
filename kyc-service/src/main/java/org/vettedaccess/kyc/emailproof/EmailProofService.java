package org.vettedaccess.kyc.emailproof;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.ApplicationParts;
import org.vettedaccess.kyc.application.ApplicationService;
import org.vettedaccess.kyc.application.ApplicationState;
import org.vettedaccess.kyc.application.ApplicationView;
import org.vettedaccess.kyc.config.KycConfig;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Proves that the researcher reads the institutional address they gave: a six-digit code is mailed to it and
 * must come back before it expires, within a few attempts. Only a salted hash of the code is stored, and every
 * attempt (wrong, late, or after the lock) is counted on the proof and in the metrics.
 */
@ApplicationScoped
public class EmailProofService implements ApplicationParts.EmailProofs {

    private static final Logger LOG = Logger.getLogger(EmailProofService.class);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EmailProofRepository proofs;
    private final ApplicationService applications;
    private final ProofMailer mailer;
    private final KycConfig config;
    private final MeterRegistry metrics;
    private final Clock clock;

    public EmailProofService(
            EmailProofRepository proofs,
            ApplicationService applications,
            ProofMailer mailer,
            KycConfig config,
            MeterRegistry metrics,
            Clock clock) {
        this.proofs = proofs;
        this.applications = applications;
        this.mailer = mailer;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What the researcher is told after a code was sent (never the code). */
    public record Sent(String email, Instant expiresAt, int attemptsAllowed) {}

    /** The code the researcher typed. */
    public record Attempt(String code) {}

    @Override
    public ApplicationView.EmailProof shown(UUID applicationId) {
        EmailProofEntity proof = proofs.latest(applicationId);
        if (proof == null) {
            return null;
        }
        int left =
                proof.state.equals("PENDING") ? Math.max(0, config.emailProof().maxAttempts() - proof.attempts) : 0;
        return new ApplicationView.EmailProof(
                proof.email, proof.state, proof.sentAt, proof.expiresAt, proof.attempts, left, proof.verifiedAt);
    }

    /** Mails a fresh code to the application's institutional address; earlier codes stop working. */
    @Transactional
    public Sent send(String subject, UUID applicationId) {
        ApplicationEntity application = applications.own(subject, applicationId);
        if (!ApplicationState.EDITABLE.contains(application.state)) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "A " + application.state + " application's email cannot be verified now; edit it first.");
        }
        if (application.institutionalEmail == null) {
            throw ProblemException.invalidField("institutionalEmail", "is required before a code can be sent");
        }
        Instant now = clock.instant();
        KycConfig.EmailProof settings = config.emailProof();
        Instant hourAgo = now.minus(1, ChronoUnit.HOURS);
        proofs.lockSending(subject, application.institutionalEmail);
        if (proofs.sentSince(applicationId, hourAgo) >= settings.codesPerHour()
                || proofs.sentToResearcherSince(subject, hourAgo) >= settings.codesPerHourPerResearcher()
                || proofs.sentToAddressSince(application.institutionalEmail, hourAgo)
                        >= settings.codesPerHourPerAddress()) {
            // One message for all three limits: which one was hit would tell a prober about other researchers' mail.
            throw new ProblemException(
                    ProblemType.TOO_MANY_REQUESTS, "Too many codes were sent within the hour; try again later.");
        }
        proofs.supersede(applicationId);
        String code = String.format("%06d", RANDOM.nextInt(1_000_000));
        EmailProofEntity proof = new EmailProofEntity();
        proof.id = UUID.randomUUID();
        proof.applicationId = applicationId;
        proof.email = application.institutionalEmail;
        proof.codeSalt = new byte[16];
        RANDOM.nextBytes(proof.codeSalt);
        proof.codeHash = hash(proof.codeSalt, code);
        proof.state = "PENDING";
        proof.sentAt = now;
        proof.expiresAt = now.plus(settings.codeLifetime());
        proofs.persist(proof);
        // Inside the transaction: if the mail cannot be sent, no code is recorded as sent.
        long started = System.nanoTime();
        try {
            mailer.send(proof.email, code, settings.codeLifetime());
        } catch (RuntimeException e) {
            // The operator needs the cause (SMTP refusal, timeout, DNS); the address is personal data, so only its id.
            LOG.warnf(
                    "the code for application %s could not be mailed after %d ms: %s",
                    applicationId, (System.nanoTime() - started) / 1_000_000, causes(e));
            throw new ProblemException(
                    ProblemType.UNAVAILABLE, "The code could not be mailed just now; try again in a minute.");
        }
        metrics.counter("kyc_email_proof_codes_sent_total").increment();
        return new Sent(proof.email, proof.expiresAt, settings.maxAttempts());
    }

    /**
     * Checks a code. A wrong or late code is refused and counted (the count is committed with the refusal); too
     * many wrong codes lock the proof until a new code is requested.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public ApplicationView verify(String subject, UUID applicationId, Attempt attempt) {
        ApplicationEntity application = applications.own(subject, applicationId);
        if (attempt == null || attempt.code() == null || !attempt.code().strip().matches("[0-9]{6}")) {
            throw ProblemException.invalidField("code", "must be the six digits from the email");
        }
        EmailProofEntity proof = proofs.latestLocked(applicationId);
        if (proof == null || proof.state.equals("SUPERSEDED") || !proof.email.equals(application.institutionalEmail)) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "No code is pending for " + application.institutionalEmail + "; request one first.");
        }
        if (proof.state.equals("VERIFIED")) {
            return applications.view(application, false);
        }
        int maxAttempts = config.emailProof().maxAttempts();
        if (proof.state.equals("LOCKED")) {
            count("locked");
            throw new ProblemException(
                    ProblemType.TOO_MANY_REQUESTS,
                    "Too many wrong codes (" + proof.attempts + "); request a new code.");
        }
        proof.attempts++;
        Instant now = clock.instant();
        if (proof.state.equals("EXPIRED") || !now.isBefore(proof.expiresAt)) {
            proof.state = "EXPIRED";
            count("expired");
            throw new ProblemException(ProblemType.CODE_EXPIRED, "The code has expired; request a new one.");
        }
        if (!MessageDigest.isEqual(
                proof.codeHash, hash(proof.codeSalt, attempt.code().strip()))) {
            int left = maxAttempts - proof.attempts;
            if (left <= 0) {
                proof.state = "LOCKED";
            }
            count("wrong");
            throw new ProblemException(
                    ProblemType.WRONG_CODE,
                    left > 0
                            ? "'code' does not match; " + left + (left == 1 ? " attempt" : " attempts") + " left."
                            : "'code' does not match, and no attempts are left; request a new code.");
        }
        proof.state = "VERIFIED";
        proof.verifiedAt = now;
        count("verified");
        return applications.view(application, false);
    }

    private void count(String outcome) {
        metrics.counter("kyc_email_proof_attempts_total", "outcome", outcome).increment();
    }

    private static byte[] hash(byte[] salt, String code) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            return sha256.digest(code.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The exception and its causes on one line, e.g. "TimeoutException: ... <- SMTPException: ...". */
    private static String causes(Throwable e) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = e; t != null && line.length() < 1000; t = t.getCause() == t ? null : t.getCause()) {
            if (!line.isEmpty()) {
                line.append(" <- ");
            }
            line.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return line.toString();
    }
}
