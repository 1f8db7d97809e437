package org.vettedaccess.kyc.review;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vettedaccess.contracts.policy.KycOutcome;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.ApplicationRepository;
import org.vettedaccess.kyc.application.ApplicationService;
import org.vettedaccess.kyc.application.ApplicationState;
import org.vettedaccess.kyc.application.ApplicationView;
import org.vettedaccess.kyc.application.EventRepository;
import org.vettedaccess.kyc.config.KycConfig;
import org.vettedaccess.kyc.outbox.DecisionOutbox;
import org.vettedaccess.kyc.screening.ScreeningService;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Human review. A reviewer claims an application, then approves, rejects or requests changes, always with a
 * reason. Nobody decides on their own application or one where they declared a conflict; tier 3 needs two
 * distinct reviewers' approvals. Approvals and rejections are ledger leaves, and access-policy learns of them,
 * through the decision outbox (so a ledger outage delays a decision but never loses it).
 */
@ApplicationScoped
public class ReviewService {

    private static final Set<String> DECISIONS = Set.of("APPROVE", "REJECT", "REQUEST_CHANGES");

    private final ApplicationRepository applications;
    private final ApplicationService lifecycle;
    private final EventRepository events;
    private final ReviewRepository reviews;
    private final ConflictRepository conflicts;
    private final DecisionOutbox outbox;
    private final ScreeningService screening;
    private final KycConfig config;
    private final Clock clock;

    public ReviewService(
            ApplicationRepository applications,
            ApplicationService lifecycle,
            EventRepository events,
            ReviewRepository reviews,
            ConflictRepository conflicts,
            DecisionOutbox outbox,
            ScreeningService screening,
            KycConfig config,
            Clock clock) {
        this.applications = applications;
        this.lifecycle = lifecycle;
        this.events = events;
        this.reviews = reviews;
        this.conflicts = conflicts;
        this.outbox = outbox;
        this.screening = screening;
        this.config = config;
        this.clock = clock;
    }

    /** One entry of the review queue. */
    public record QueueEntry(
            UUID id,
            String legalName,
            String affiliation,
            String country,
            Integer requestedTier,
            Instant submittedAt,
            long ageSeconds,
            Instant slaDueAt,
            boolean overdue,
            String claimedBy,
            int approvalsNeeded,
            int approvalsThisRound) {}

    /** A reviewer's decision on an application: APPROVE or REJECT, with a reason. */
    public record Verdict(String decision, String reason) {}

    /** A declared conflict of interest. */
    public record Conflict(String reason) {}

    /** Applications waiting for review, oldest first, leaving out the reviewer's own and conflicted ones. */
    public List<QueueEntry> queue(String reviewer) {
        Instant now = clock.instant();
        return applications.inReview().stream()
                .filter(a -> !a.subject.equals(reviewer) && !conflicts.declared(a.id, reviewer))
                .map(a -> {
                    Instant due = a.submittedAt.plus(config.reviewSla());
                    return new QueueEntry(
                            a.id,
                            a.legalName,
                            a.affiliation,
                            a.country,
                            a.requestedTier,
                            a.submittedAt,
                            Duration.between(a.submittedAt, now).toSeconds(),
                            due,
                            now.isAfter(due),
                            a.claimedBy,
                            lifecycle.approvalsNeeded(a),
                            reviews.approvers(a.id, events.round(a.id)).size());
                })
                .toList();
    }

    public ApplicationView read(String reviewer, UUID id) {
        return lifecycle.view(eligible(reviewer, id, false), true);
    }

    @Transactional
    public ApplicationView claim(String reviewer, UUID id) {
        ApplicationEntity application = eligible(reviewer, id, true);
        if (application.claimedBy != null && !application.claimedBy.equals(reviewer)) {
            throw new ProblemException(ProblemType.CONFLICT, "Another reviewer has claimed this application.");
        }
        // Holding the claim without being able to decide would only block the second reviewer (four-eyes).
        if (reviews.approvers(id, events.round(id)).contains(reviewer)) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "You have approved this application already; a second, different reviewer must take it.");
        }
        application.claimedBy = reviewer;
        return lifecycle.view(application, true);
    }

    @Transactional
    public ApplicationView conflict(String reviewer, UUID id, Conflict conflict) {
        ApplicationEntity application = find(id);
        String reason = reason(conflict == null ? null : conflict.reason());
        if (!conflicts.declared(id, reviewer)) {
            ConflictEntity declared = new ConflictEntity();
            declared.applicationId = id;
            declared.reviewer = reviewer;
            declared.reason = reason;
            declared.at = clock.instant();
            conflicts.persist(declared);
        }
        if (reviewer.equals(application.claimedBy)) {
            application.claimedBy = null;
        }
        return lifecycle.view(application, true);
    }

    @Transactional
    public ApplicationView decide(String reviewer, UUID id, Verdict decision) {
        if (decision == null || decision.decision() == null || !DECISIONS.contains(decision.decision())) {
            throw ProblemException.invalidField("decision", "must be one of " + DECISIONS);
        }
        String reason = reason(decision.reason());
        ApplicationEntity application = eligible(reviewer, id, true);
        if (!reviewer.equals(application.claimedBy)) {
            throw new ProblemException(ProblemType.CONFLICT, "Claim the application before deciding on it.");
        }
        int round = events.round(id);
        if (decision.decision().equals("APPROVE")
                && reviews.approvers(id, round).contains(reviewer)) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "You have approved this application already; a second, different reviewer must approve it.");
        }
        if (decision.decision().equals("APPROVE")) {
            // Against the lists in force now: they may have changed, or a re-screen reopened the review, since
            // the submission was screened. Every candidate of the round needs its dispositions first (409).
            screening.screenAgain(application, round);
            screening.requireCleared(id, round);
        }
        ReviewEntity review = new ReviewEntity();
        review.applicationId = id;
        review.round = round;
        review.reviewer = reviewer;
        review.decision = decision.decision();
        review.reason = reason;
        review.at = clock.instant();
        reviews.persist(review);
        application.claimedBy = null;
        switch (decision.decision()) {
            case "REQUEST_CHANGES" -> lifecycle.move(application, ApplicationState.CHANGES_REQUESTED, reviewer, reason);
            case "REJECT" -> reject(application, reviewer, reason);
            default -> {
                List<String> approvers = reviews.approvers(id, round);
                if (approvers.size() >= lifecycle.approvalsNeeded(application)) {
                    approve(application, approvers, reason);
                }
            }
        }
        return lifecycle.view(application, true);
    }

    private void approve(ApplicationEntity application, List<String> approvers, String reason) {
        int tier = application.requestedTier;
        Instant now = clock.instant();
        int days = switch (tier) {
            case 1 -> config.approvalDaysTier1();
            case 2 -> config.approvalDaysTier2();
            default -> config.approvalDaysTier3();
        };
        application.assuranceLevel = tier;
        application.validUntil = now.plus(days, ChronoUnit.DAYS);
        application.kycLeaf = null;
        outbox.enqueue(
                application,
                key(application, "APPROVED"),
                withValidity(
                        withScreening(leaf(application, "APPROVED", approvers, "approved"), application), application),
                new KycOutcome(
                        application.subject,
                        application.assuranceLevel,
                        tier,
                        null,
                        "APPROVED",
                        application.rorId,
                        application.country,
                        application.validUntil,
                        tier,
                        List.of(application.requestedModels),
                        application.purpose));
        lifecycle.move(application, ApplicationState.APPROVED, String.join(",", approvers), reason);
    }

    private void reject(ApplicationEntity application, String reviewer, String reason) {
        reject(application, reviewer, reason, "rejected");
    }

    /** A rejection (a reviewer's, or a candidate's TRUE_MATCH disposition, reason code {@code sanctions_match}). */
    void reject(ApplicationEntity application, String reviewer, String reason, String reasonCode) {
        application.kycLeaf = null;
        // A researcher approved through another application keeps that approval; otherwise access-policy hears of it.
        boolean tellPolicy = applications.latestApproved(application.subject) == null;
        outbox.enqueue(
                application,
                key(application, "REJECTED"),
                withScreening(leaf(application, "REJECTED", List.of(reviewer), reasonCode), application),
                tellPolicy ? withdrawn(application, "REJECTED") : null);
        lifecycle.move(application, ApplicationState.REJECTED, reviewer, reason);
    }

    private static KycOutcome withdrawn(ApplicationEntity application, String status) {
        return new KycOutcome(
                application.subject,
                0,
                0,
                null,
                status,
                application.rorId,
                application.country,
                null,
                null,
                null,
                null);
    }

    /** A re-screen hit: suspended at once (leaf, access-policy), then back into review with the candidates. */
    public void suspend(ApplicationEntity application, String reason) {
        application.kycLeaf = null;
        outbox.enqueue(
                application,
                key(application, "SUSPENDED"),
                leaf(application, "SUSPENDED", List.of(), "rescreen_hit"),
                withdrawn(application, "SUSPENDED"));
        lifecycle.move(application, ApplicationState.SUSPENDED, "kyc-service", reason);
        application.claimedBy = null;
        application.submittedAt = clock.instant();
        lifecycle.move(application, ApplicationState.IN_REVIEW, "kyc-service", "re-screen hit: a reviewer must decide");
    }

    /** The researcher withdraws an application that is not (or no longer) a standing approval. */
    @Transactional
    public void withdraw(String researcher, UUID id) {
        ApplicationEntity application = lifecycle.own(researcher, id);
        if (application.state.equals(ApplicationState.APPROVED)) {
            // Access already granted on it ends by expiry, suspension, or erasure of the researcher's data.
            throw new ProblemException(
                    ProblemType.CONFLICT, "An APPROVED application cannot be withdrawn; it ends when it expires.");
        }
        end(application, researcher, "withdrawn by the researcher", "withdrawn");
    }

    /**
     * Ends an application at its researcher's request. Giving up an approval is a decision like any other: a
     * {@code WITHDRAWN} leaf, and access-policy stops allowing the researcher unless another approval stands.
     */
    public void end(ApplicationEntity application, String researcher, String reason, String reasonCode) {
        boolean wasApproved = application.state.equals(ApplicationState.APPROVED);
        lifecycle.move(application, ApplicationState.WITHDRAWN, researcher, reason);
        application.claimedBy = null;
        if (wasApproved) {
            application.kycLeaf = null;
            boolean tellPolicy = applications.latestApproved(application.subject) == null;
            outbox.enqueue(
                    application,
                    key(application, "WITHDRAWN"),
                    leaf(application, "WITHDRAWN", List.of(), reasonCode),
                    tellPolicy ? withdrawn(application, "WITHDRAWN") : null);
        }
    }

    /** Delivers the application's pending decisions now if possible (after the caller's commit). */
    public void deliver(UUID id) {
        outbox.deliverOf(id);
    }

    /** An approval past its end: a leaf, and access-policy stops allowing it. */
    public void expire(ApplicationEntity application) {
        application.kycLeaf = null;
        outbox.enqueue(
                application,
                key(application, "EXPIRED"),
                leaf(application, "EXPIRED", List.of(), "approval_ended"),
                withdrawn(application, "EXPIRED"));
        lifecycle.move(application, ApplicationState.EXPIRED, "kyc-service", "the approval's period ended");
    }

    /** Delivers the application's pending decisions now if possible, then shows it as the reviewer sees it. */
    public ApplicationView deliverAndRead(String reviewer, UUID id) {
        outbox.deliverOf(id);
        return lifecycle.view(applications.findById(id), true);
    }

    /** The same decision retried (after a rolled-back transaction) has the same version, so the same key. */
    private static String key(ApplicationEntity application, String outcome) {
        return "kyc:" + application.id + ":v" + application.version + ":" + outcome;
    }

    /** The ledger leaf: pseudonymous (the ledger turns subjects into pseudonyms), no personal data. */
    private Map<String, Object> leaf(
            ApplicationEntity application, String outcome, List<String> reviewers, String reasonCode) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("applicationId", application.id.toString());
        entry.put("subject", application.subject);
        entry.put("outcome", outcome);
        entry.put("tier", application.requestedTier);
        entry.put("assuranceLevel", outcome.equals("APPROVED") ? application.assuranceLevel : 0);
        entry.put("reviewers", reviewers);
        entry.put("decidedAt", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        entry.put("reasonCode", reasonCode);
        return entry;
    }

    /** An approval's leaf says until when it holds, so that a regulator can tell an expired one from the log. */
    private static Map<String, Object> withValidity(Map<String, Object> leaf, ApplicationEntity application) {
        leaf.put(
                "validUntil",
                application.validUntil.truncatedTo(ChronoUnit.MILLIS).toString());
        return leaf;
    }

    /** The leaf with the round's screening summary (counts, highest score, list versions; no names). */
    private Map<String, Object> withScreening(Map<String, Object> leaf, ApplicationEntity application) {
        leaf.putAll(screening.summary(application.id, events.round(application.id)));
        return leaf;
    }

    /** An application in review that this reviewer may act on: never their own, never a conflicted one. */
    ApplicationEntity eligible(String reviewer, UUID id, boolean mustBeInReview) {
        ApplicationEntity application = find(id);
        if (application.subject.equals(reviewer)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "You cannot review your own application.");
        }
        if (conflicts.declared(id, reviewer)) {
            throw new ProblemException(
                    ProblemType.FORBIDDEN, "You declared a conflict of interest on this application.");
        }
        if (mustBeInReview && !application.state.equals(ApplicationState.IN_REVIEW)) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "The application is " + application.state + ", not in review.");
        }
        return application;
    }

    private ApplicationEntity find(UUID id) {
        ApplicationEntity application = applications.findById(id);
        if (application == null || application.state.equals(ApplicationState.DRAFT)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No application " + id + " to review.");
        }
        return application;
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 2_000) {
            throw ProblemException.invalidField("reason", "is required (1 to 2000 characters)");
        }
        return reason.strip();
    }
}
