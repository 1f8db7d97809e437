package org.vettedaccess.kyc.review;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.EventRepository;
import org.vettedaccess.kyc.screening.CandidateEntity;
import org.vettedaccess.kyc.screening.CandidateRepository;
import org.vettedaccess.kyc.screening.DispositionEntity;
import org.vettedaccess.kyc.screening.DispositionRepository;
import org.vettedaccess.kyc.screening.ScreeningService;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * A reviewer's disposition of a sanctions candidate: FALSE_POSITIVE with the evidence that tells the applicant
 * apart from the listed person, or TRUE_MATCH, which rejects the application at once (a ledger leaf with reason
 * code {@code sanctions_match}; no claim needed, a restrictive decision never waits). The same rules as deciding:
 * never on one's own application or a conflicted one, only in review; each reviewer once per candidate.
 */
@ApplicationScoped
public class DispositionService {

    private static final Set<String> DISPOSITIONS =
            Set.of(ScreeningService.FALSE_POSITIVE, ScreeningService.TRUE_MATCH);
    /** What the researcher reads of a true-match rejection: nothing about lists (no tipping-off). */
    static final String NEUTRAL_REJECTION = "the application cannot be approved";

    private final ReviewService reviews;
    private final CandidateRepository candidates;
    private final DispositionRepository dispositions;
    private final EventRepository events;
    private final Clock clock;

    public DispositionService(
            ReviewService reviews,
            CandidateRepository candidates,
            DispositionRepository dispositions,
            EventRepository events,
            Clock clock) {
        this.reviews = reviews;
        this.candidates = candidates;
        this.dispositions = dispositions;
        this.events = events;
        this.clock = clock;
    }

    /** A disposition: {@code FALSE_POSITIVE} or {@code TRUE_MATCH}, and the evidence it rests on. */
    public record Disposition(String disposition, String evidence) {}

    @Transactional
    public void record(String reviewer, UUID applicationId, UUID candidateId, Disposition disposition) {
        if (disposition == null
                || disposition.disposition() == null
                || !DISPOSITIONS.contains(disposition.disposition())) {
            throw ProblemException.invalidField("disposition", "must be one of " + DISPOSITIONS);
        }
        String evidence = disposition.evidence();
        if (evidence == null || evidence.isBlank() || evidence.length() > 2_000) {
            throw ProblemException.invalidField(
                    "evidence",
                    "is required: what tells the applicant apart from, or identifies them with, the"
                            + " listed entry (1 to 2000 characters)");
        }
        ApplicationEntity application = reviews.eligible(reviewer, applicationId, true);
        CandidateEntity candidate = candidates.findById(candidateId);
        if (candidate == null
                || !candidate.applicationId.equals(applicationId)
                || candidate.reviewRound != events.round(applicationId)) {
            throw new ProblemException(
                    ProblemType.NOT_FOUND, "No open candidate " + candidateId + " in this review round.");
        }
        if (dispositions.given(candidateId, reviewer)) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "You have dispositioned this candidate already; a second, different reviewer must add theirs.");
        }
        DispositionEntity given = new DispositionEntity();
        given.candidateId = candidateId;
        given.reviewer = reviewer;
        given.disposition = disposition.disposition();
        given.evidence = evidence.strip();
        given.at = clock.instant();
        dispositions.persist(given);
        if (given.disposition.equals(ScreeningService.TRUE_MATCH)) {
            dispositions.flush();
            application.claimedBy = null;
            reviews.reject(application, reviewer, NEUTRAL_REJECTION, "sanctions_match");
        }
    }
}
