package org.vettedaccess.kyc.rescreen;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.ApplicationRepository;
import org.vettedaccess.kyc.application.ApplicationState;
import org.vettedaccess.kyc.check.CheckEntity;
import org.vettedaccess.kyc.check.CheckRepository;
import org.vettedaccess.kyc.review.ReviewService;
import org.vettedaccess.kyc.sanctions.SanctionsList;

/**
 * Keeps approvals current: an approval past its end expires, and every other one is screened again against the
 * current lists. A new hit suspends the researcher at once (a ledger leaf, and access-policy is told, which stops
 * the gateways) and puts the application back into review with the candidates.
 */
@ApplicationScoped
public class RescreenService {

    private final ApplicationRepository applications;
    private final CheckRepository checks;
    private final SanctionsList sanctions;
    private final ReviewService decisions;
    private final org.vettedaccess.kyc.outbox.DecisionOutbox outbox;
    private final Clock clock;

    public RescreenService(
            ApplicationRepository applications,
            CheckRepository checks,
            SanctionsList sanctions,
            ReviewService decisions,
            org.vettedaccess.kyc.outbox.DecisionOutbox outbox,
            Clock clock) {
        this.applications = applications;
        this.checks = checks;
        this.sanctions = sanctions;
        this.decisions = decisions;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** What one run did. */
    public record Run(int screened, int suspended, int expired) {}

    /** Runs from HTTP requests and from the schedule's own thread, which has no request context of its own. */
    @jakarta.enterprise.context.control.ActivateRequestContext
    public Run run() {
        int screened = 0;
        int suspended = 0;
        int expired = 0;
        for (UUID id : applications.approvedIds()) {
            String result = self().one(id);
            outbox.deliverOf(id);
            switch (result) {
                case "EXPIRED" -> expired++;
                case "SUSPENDED" -> {
                    screened++;
                    suspended++;
                }
                default -> screened++;
            }
        }
        return new Run(screened, suspended, expired);
    }

    /** One approval, in its own transaction: EXPIRED, SUSPENDED, or CURRENT. */
    @Transactional
    public String one(UUID id) {
        ApplicationEntity application = applications.findById(id);
        if (application == null || !application.state.equals(ApplicationState.APPROVED)) {
            return "CURRENT";
        }
        Instant now = clock.instant();
        if (application.validUntil != null && !now.isBefore(application.validUntil)) {
            decisions.expire(application);
            return "EXPIRED";
        }
        List<SanctionsList.Candidate> candidates = sanctions.screen(application.legalName);
        if (candidates.isEmpty()) {
            return "CURRENT";
        }
        CheckEntity check = new CheckEntity();
        check.applicationId = application.id;
        check.name = "sanctions";
        check.input = application.legalName;
        check.result = "REVIEW";
        StringBuilder detail = new StringBuilder("re-screen found a possible match:");
        candidates.forEach(c -> detail.append(String.format(
                java.util.Locale.ROOT, " %s %s \"%s\" (score %.3f);", c.list(), c.id(), c.name(), c.score())));
        check.detail = detail.toString();
        check.ranAt = now;
        checks.persist(check);
        decisions.suspend(application, detail.toString());
        return "SUSPENDED";
    }

    private RescreenService self() {
        return io.quarkus.arc.Arc.container().instance(RescreenService.class).get();
    }
}
