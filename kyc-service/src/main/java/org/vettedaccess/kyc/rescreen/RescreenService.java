package org.vettedaccess.kyc.rescreen;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.ApplicationRepository;
import org.vettedaccess.kyc.application.ApplicationState;
import org.vettedaccess.kyc.application.EventRepository;
import org.vettedaccess.kyc.check.CheckEntity;
import org.vettedaccess.kyc.check.CheckRepository;
import org.vettedaccess.kyc.outbox.DecisionOutbox;
import org.vettedaccess.kyc.review.ReviewService;
import org.vettedaccess.kyc.sanctions.SanctionsList;
import org.vettedaccess.kyc.screening.ScreeningService;

/**
 * Keeps approvals current: an approval past its end expires, and every APPROVED and IN_REVIEW application is
 * screened again against the current lists. Only what is new is raised: a candidate the application's reviewers
 * cleared before, for the same list entry data and the same applicant data, is not (a re-screen never undoes a
 * reviewer's false positive). New hits are recorded as candidates at once. A new strong match on an approval
 * suspends the researcher at once (a ledger leaf, and access-policy is told, which stops the gateways) and puts the
 * application back into review in a new round with the new candidates; a new weaker one is recorded in the current
 * round for a reviewer's disposition without suspending, and one on an application in review joins its round.
 */
@ApplicationScoped
public class RescreenService {

    private final ApplicationRepository applications;
    private final EventRepository events;
    private final CheckRepository checks;
    private final SanctionsList sanctions;
    private final ScreeningService screening;
    private final ReviewService decisions;
    private final DecisionOutbox outbox;
    private final Clock clock;
    /** One run at a time in this replica (the schedule, a list change, a reviewer's request). */
    private final ReentrantLock running = new ReentrantLock();

    public RescreenService(
            ApplicationRepository applications,
            EventRepository events,
            CheckRepository checks,
            SanctionsList sanctions,
            ScreeningService screening,
            ReviewService decisions,
            DecisionOutbox outbox,
            Clock clock) {
        this.applications = applications;
        this.events = events;
        this.checks = checks;
        this.sanctions = sanctions;
        this.screening = screening;
        this.decisions = decisions;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * What one run did: applications screened, suspended (a new strong match), expired, and those with new
     * candidates recorded without a suspension (weaker matches, or applications already in review).
     */
    public record Run(int screened, int suspended, int expired, int flagged) {}

    /** What happened to one application. */
    public enum Outcome {
        CURRENT,
        EXPIRED,
        SUSPENDED,
        FLAGGED
    }

    /** Runs from HTTP requests and from the schedule's own thread, which has no request context of its own. */
    @jakarta.enterprise.context.control.ActivateRequestContext
    public Run run() {
        running.lock();
        try {
            // The lists in force now: a changed file is loaded first (each replica holds its own index).
            sanctions.reloadIfChanged(true);
            int screened = 0;
            int suspended = 0;
            int expired = 0;
            int flagged = 0;
            for (UUID id : applications.rescreenIds()) {
                Outcome result = self().one(id);
                outbox.deliverOf(id);
                switch (result) {
                    case EXPIRED -> expired++;
                    case SUSPENDED -> {
                        screened++;
                        suspended++;
                    }
                    case FLAGGED -> {
                        screened++;
                        flagged++;
                    }
                    default -> screened++;
                }
            }
            return new Run(screened, suspended, expired, flagged);
        } finally {
            running.unlock();
        }
    }

    /** One application, in its own transaction, its row locked (another replica may be re-screening too). */
    @Transactional
    public Outcome one(UUID id) {
        ApplicationEntity application = applications.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (application == null || application.legalName == null) {
            return Outcome.CURRENT;
        }
        boolean approved = application.state.equals(ApplicationState.APPROVED);
        if (!approved && !application.state.equals(ApplicationState.IN_REVIEW)) {
            return Outcome.CURRENT;
        }
        Instant now = clock.instant();
        if (approved && application.validUntil != null && !now.isBefore(application.validUntil)) {
            decisions.expire(application);
            return Outcome.EXPIRED;
        }
        int round = events.round(id);
        List<SanctionsList.Candidate> hits = sanctions.screen(application.legalName);
        List<SanctionsList.Candidate> found = screening.newIn(application, round, hits);
        if (found.isEmpty()) {
            return Outcome.CURRENT;
        }
        String detail = detail(found);
        if (approved && found.stream().anyMatch(c -> c.score() >= screening.strongMatchThreshold())) {
            check(application, detail, now);
            decisions.suspend(application, detail);
            // The new round holds every hit not cleared before (a weaker one still open included).
            screening.recordNew(application, events.round(id), hits);
            return Outcome.SUSPENDED;
        }
        check(application, detail, now);
        screening.recordNew(application, round, found);
        return Outcome.FLAGGED;
    }

    /** The candidates for the reviewers' sanctions check (the researcher's view never shows it: NoTippingOff). */
    private static String detail(List<SanctionsList.Candidate> found) {
        StringBuilder detail = new StringBuilder("re-screen found a possible match:");
        found.forEach(c -> detail.append(
                String.format(Locale.ROOT, " %s %s \"%s\" (score %.3f);", c.list(), c.id(), c.name(), c.score())));
        return detail.toString();
    }

    private void check(ApplicationEntity application, String detail, Instant now) {
        CheckEntity check = new CheckEntity();
        check.applicationId = application.id;
        check.name = "sanctions";
        check.input = application.legalName;
        check.result = "REVIEW";
        check.detail = detail;
        check.ranAt = now;
        checks.persist(check);
    }

    private RescreenService self() {
        return io.quarkus.arc.Arc.container().instance(RescreenService.class).get();
    }
}
