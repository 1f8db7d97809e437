package org.vettedaccess.policy.assurance;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Set;
import java.util.regex.Pattern;
import org.vettedaccess.contracts.policy.KycOutcome;
import org.vettedaccess.policy.change.ChangeFeed;
import org.vettedaccess.policy.killswitch.Scopes;
import org.vettedaccess.support.problem.ProblemException;

/** Keeps what kyc-service reports; every outcome reaches the gateways and the other replicas through the change feed. */
@ApplicationScoped
public class AssuranceService {

    private static final Set<String> STATUSES = Set.of("APPROVED", "SUSPENDED", "EXPIRED", "REJECTED", "WITHDRAWN");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private final AssuranceRepository assurances;
    private final ChangeFeed feed;
    private final Clock clock;

    public AssuranceService(AssuranceRepository assurances, ChangeFeed feed, Clock clock) {
        this.assurances = assurances;
        this.feed = feed;
        this.clock = clock;
    }

    @Transactional
    public void report(KycOutcome outcome) {
        if (outcome == null || outcome.subject() == null || outcome.subject().isBlank()) {
            throw ProblemException.invalidField("subject", "is required");
        }
        if (outcome.status() == null || !STATUSES.contains(outcome.status())) {
            throw ProblemException.invalidField("status", "must be one of " + STATUSES);
        }
        if (outcome.assuranceLevel() == null || outcome.assuranceLevel() < 0 || outcome.assuranceLevel() > 3) {
            throw ProblemException.invalidField("assuranceLevel", "must be between 0 and 3");
        }
        if (outcome.approvedTier() == null || outcome.approvedTier() < 0 || outcome.approvedTier() > 3) {
            throw ProblemException.invalidField("approvedTier", "must be between 0 and 3");
        }
        // An approval is ledger-first (grants name its leaf); a restrictive outcome is reported at once, before its
        // leaf leaves kyc-service's outbox, so it may come without one.
        if (outcome.status().equals("APPROVED") && outcome.kycLeaf() == null) {
            throw ProblemException.invalidField("kycLeaf", "is required with an APPROVED outcome");
        }
        if (outcome.kycLeaf() != null && outcome.kycLeaf() < 0) {
            throw ProblemException.invalidField("kycLeaf", "must be the ledger index of the KYC decision");
        }
        if (outcome.country() != null && !COUNTRY.matcher(outcome.country()).matches()) {
            throw ProblemException.invalidField("country", "must be an ISO 3166-1 alpha-2 code such as 'DE'");
        }
        AssuranceEntity assurance = assurances.findById(outcome.subject());
        if (assurance == null) {
            // Two reports of a new subject at once (kyc-service replicas, a retry) must not collide on the key.
            assurances
                    .getEntityManager()
                    .createNativeQuery("INSERT INTO assurances (subject, assurance_level, approved_tier, status,"
                            + " updated_at) VALUES (?1, 0, 0, 'WITHDRAWN', now()) ON CONFLICT (subject) DO NOTHING")
                    .setParameter(1, outcome.subject())
                    .executeUpdate();
            assurance = assurances.findById(outcome.subject());
        }
        assurance.assuranceLevel = outcome.assuranceLevel();
        assurance.approvedTier = outcome.approvedTier();
        assurance.kycLeaf = outcome.kycLeaf();
        assurance.status = outcome.status();
        // Stored bare, as kill switches and tripwire rules name it (ADR 0045), whichever way it was reported.
        assurance.institution = Scopes.institution(outcome.institution());
        assurance.country = outcome.country();
        assurance.validUntil = outcome.validUntil();
        assurance.updatedAt = clock.instant();
        // Every outcome is on the feed, an approval too: it may lower the assurance level, and each replica's
        // SubjectRows drops the subject's rows on it (ADR 0098). The gateway treats subject.approved as restrictive (it
        // is not among ChangePage's permissive kinds), which only drops this subject's cached decisions.
        feed.record("subject." + outcome.status().toLowerCase(), null, outcome.subject(), null);
    }
}
