package org.vettedaccess.kyc.erasure;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.ApplicationRepository;
import org.vettedaccess.kyc.application.ApplicationState;
import org.vettedaccess.kyc.application.EventRepository;
import org.vettedaccess.kyc.check.CheckRepository;
import org.vettedaccess.kyc.emailproof.EmailProofRepository;
import org.vettedaccess.kyc.outbox.DecisionOutboxRepository;
import org.vettedaccess.kyc.review.ConflictRepository;
import org.vettedaccess.kyc.review.ReviewRepository;
import org.vettedaccess.kyc.review.ReviewService;
import org.vettedaccess.kyc.screening.ScreeningService;

/**
 * Erases a researcher's personal data on their request. Open applications end first (an approval ends with a
 * {@code WITHDRAWN} ledger leaf, and access-policy stops allowing it); then every personal field, every check
 * input and every free-text reason about them is cleared. What stays is pseudonymous: the subject id, states,
 * tiers, times and ledger indices, so the ledger's history and its links to these decisions stay intact.
 */
@ApplicationScoped
public class ErasureService {

    static final String ERASED = "[erased]";

    private final ApplicationRepository applications;
    private final EventRepository events;
    private final CheckRepository checks;
    private final ReviewRepository reviews;
    private final ConflictRepository conflicts;
    private final EmailProofRepository proofs;
    private final DecisionOutboxRepository outbox;
    private final ReviewService decisions;
    private final ScreeningService screening;
    private final Clock clock;

    public ErasureService(
            ApplicationRepository applications,
            EventRepository events,
            CheckRepository checks,
            ReviewRepository reviews,
            ConflictRepository conflicts,
            EmailProofRepository proofs,
            DecisionOutboxRepository outbox,
            ReviewService decisions,
            ScreeningService screening,
            Clock clock) {
        this.applications = applications;
        this.events = events;
        this.checks = checks;
        this.reviews = reviews;
        this.conflicts = conflicts;
        this.proofs = proofs;
        this.outbox = outbox;
        this.decisions = decisions;
        this.screening = screening;
        this.clock = clock;
    }

    /** What was erased; {@code applicationIds} have decisions to deliver once this commits. */
    public record Erasure(String subject, int applicationsErased, int approvalsEnded, Instant erasedAt) {}

    /** The erasure and the applications whose ended approvals wait in the outbox. */
    record Done(Erasure erasure, List<UUID> toDeliver) {}

    @Transactional
    Done erase(String subject) {
        Instant now = clock.instant();
        int erased = 0;
        int approvalsEnded = 0;
        List<UUID> toDeliver = new ArrayList<>();
        for (ApplicationEntity application : applications.ofSubject(subject)) {
            if (application.erasedAt != null) {
                continue;
            }
            if (application.state.equals(ApplicationState.APPROVED)) {
                approvalsEnded++;
                toDeliver.add(application.id);
            }
            if (ApplicationState.canMove(application.state, ApplicationState.WITHDRAWN)) {
                decisions.end(
                        application,
                        subject,
                        "withdrawn: the researcher asked for their personal data to be erased",
                        "erasure_request");
            }
            scrub(application, subject, now);
            erased++;
        }
        return new Done(new Erasure(subject, erased, approvalsEnded, now), toDeliver);
    }

    private void scrub(ApplicationEntity a, String subject, Instant now) {
        a.legalName = null;
        a.email = null;
        a.institutionalEmail = null;
        a.orcid = null;
        a.orcidVerified = false;
        a.affiliation = null;
        a.position = null;
        a.purpose = null;
        a.fundingSources = null;
        a.conflictsOfInterest = null;
        a.country = null;
        a.dateOfBirth = null;
        a.nationality = null;
        a.erasedAt = now;
        a.updatedAt = now;
        checks.update("input = ?1, detail = ?1 where applicationId = ?2", ERASED, a.id);
        proofs.update("email = ?1 where applicationId = ?2", ERASED, a.id);
        // Sanctions candidates: the names screened and matched, and the reviewers' evidence about the person.
        screening.erase(a.id, ERASED);
        // Reviewers' written reasons may describe the person; the researcher's and the service's own do not.
        reviews.update("reason = ?1 where applicationId = ?2", ERASED, a.id);
        conflicts.update("reason = ?1 where applicationId = ?2", ERASED, a.id);
        events.update(
                "reason = ?1 where applicationId = ?2 and actor <> ?3 and actor <> 'kyc-service'",
                ERASED,
                a.id,
                subject);
        // Delivered decisions no longer need what access-policy was told (institution, country, purpose).
        outbox.update("policyOutcome = 'null' where applicationId = ?1 and state in ('DONE', 'SUPERSEDED')", a.id);
    }
}
