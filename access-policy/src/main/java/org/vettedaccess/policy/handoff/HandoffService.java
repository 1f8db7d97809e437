package org.vettedaccess.policy.handoff;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vettedaccess.contracts.policy.KycOutcome;
import org.vettedaccess.policy.grant.AdminGrantAwaited;
import org.vettedaccess.policy.grant.GrantRecord;
import org.vettedaccess.policy.grant.GrantRequest;
import org.vettedaccess.policy.grant.GrantService;
import org.vettedaccess.policy.ledger.Commitments;
import org.vettedaccess.policy.ledger.LedgerRecorder;
import org.vettedaccess.policy.tier.TierEntity;
import org.vettedaccess.policy.tier.TierService;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * The grant hand-off (ADR 0043): an approval whose tier needs an admin waits in a queue with the models and purpose
 * applied for; an admin issues the grant, which goes through {@link GrantService#issue} and so through the ledger
 * before it commits (a refused or unwritable grant leaves the hand-off waiting), or refuses it with a reason that
 * the researcher, and only they, read beside their own hand-offs.
 */
@ApplicationScoped
public class HandoffService {

    private static final int QUEUE_LIMIT = 200;

    private final HandoffRepository handoffs;
    private final GrantService grants;
    private final TierService tiers;
    private final LedgerRecorder ledger;
    private final Clock clock;

    public HandoffService(
            HandoffRepository handoffs, GrantService grants, TierService tiers, LedgerRecorder ledger, Clock clock) {
        this.handoffs = handoffs;
        this.ledger = ledger;
        this.grants = grants;
        this.tiers = tiers;
        this.clock = clock;
    }

    /**
     * Queues the approval's grant for an admin (observing {@link AdminGrantAwaited}). A redelivered outcome (same KYC decision leaf) changes nothing; a
     * newer approval supersedes the subject's older waiting hand-off.
     */
    @Transactional
    public void open(@Observes AdminGrantAwaited awaited) {
        KycOutcome outcome = awaited.outcome();
        if (outcome.kycLeaf() == null || handoffs.ofApproval(outcome.subject(), outcome.kycLeaf()) != null) {
            return;
        }
        Instant now = clock.instant();
        for (HandoffEntity older : handoffs.ofSubject(outcome.subject())) {
            if (older.status.equals("AWAITING")) {
                older.status = "SUPERSEDED";
                older.decidedAt = now;
            }
        }
        HandoffEntity handoff = new HandoffEntity();
        handoff.id = UUID.randomUUID();
        handoff.subject = outcome.subject();
        handoff.kycLeaf = outcome.kycLeaf();
        handoff.tier = outcome.requestedTier();
        handoff.models = outcome.requestedModels().toArray(String[]::new);
        handoff.purpose = outcome.purpose() == null ? "" : outcome.purpose();
        handoff.kycUntil = outcome.validUntil();
        handoff.status = "AWAITING";
        handoff.createdAt = now;
        handoffs.persist(handoff);
    }

    /** The admins' queue, oldest first. */
    @Transactional
    public List<HandoffRecord> awaiting() {
        return handoffs.awaiting(QUEUE_LIMIT).stream().map(HandoffRecord::of).toList();
    }

    /** A researcher's own hand-offs, newest first. */
    @Transactional
    public List<HandoffRecord> ofSubject(String subject) {
        return handoffs.ofSubject(subject).stream().map(HandoffRecord::of).toList();
    }

    /** Issues the grant applied for, as the admin; it commits only if the grant does (ledger leaf written). */
    @Transactional
    public HandoffRecord issue(UUID id, HandoffDecision decision, String admin) {
        HandoffEntity handoff = waiting(id);
        Instant now = clock.instant();
        TierEntity tier = tiers.current(handoff.tier);
        Instant until = (decision == null ? new HandoffDecision(null, null) : decision)
                .grantEnd(now, tier.maxGrantDays, handoff.kycUntil);
        GrantRecord grant = grants.issue(
                new GrantRequest(handoff.subject, List.of(handoff.models), handoff.purpose, handoff.tier, now, until),
                admin);
        handoff.status = "ISSUED";
        handoff.grantId = grant.id();
        handoff.decidedBy = admin;
        handoff.decidedAt = now;
        return HandoffRecord.of(handoff);
    }

    /**
     * Refuses the grant, with the reason the researcher reads. The refusal is a {@code handoff.refused} leaf (ADR
     * 0084) queued in this transaction's outbox: it commits whether or not the ledger is up, and the leaf names the
     * KYC decision it answers and commits to the reason with a salt, never holding the reason itself.
     */
    @Transactional
    public HandoffRecord refuse(UUID id, HandoffDecision decision, String admin) {
        String reason = (decision == null ? new HandoffDecision(null, null) : decision).refusalReason();
        HandoffEntity handoff = waiting(id);
        handoff.status = "REFUSED";
        handoff.reason = reason;
        handoff.reasonSalt = Commitments.salt();
        handoff.decidedBy = admin;
        handoff.decidedAt = clock.instant();
        Map<String, Object> leaf = new LinkedHashMap<>();
        leaf.put("handoffId", handoff.id.toString());
        leaf.put("subject", handoff.subject);
        leaf.put("kycLeaf", handoff.kycLeaf);
        leaf.put("tier", handoff.tier);
        leaf.put("models", List.of(handoff.models));
        leaf.put("reasonCommitment", Commitments.of(handoff.reasonSalt, reason));
        leaf.put("actor", admin);
        leaf.put("at", handoff.decidedAt.toString());
        ledger.restrictive(HandoffLeaves.key(handoff.id), HandoffLeaves.TYPE, leaf);
        return HandoffRecord.of(handoff);
    }

    private HandoffEntity waiting(UUID id) {
        HandoffEntity handoff = handoffs.locked(id);
        if (handoff == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No grant hand-off " + id + ".");
        }
        if (!handoff.status.equals("AWAITING")) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "The hand-off is " + handoff.status + ", no longer awaiting a grant.");
        }
        return handoff;
    }
}
