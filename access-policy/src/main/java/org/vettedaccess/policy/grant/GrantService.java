package org.vettedaccess.policy.grant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vettedaccess.policy.assurance.AssuranceEntity;
import org.vettedaccess.policy.assurance.AssuranceRepository;
import org.vettedaccess.policy.catalog.ModelEntity;
import org.vettedaccess.policy.catalog.ModelRepository;
import org.vettedaccess.policy.change.ChangeFeed;
import org.vettedaccess.policy.ledger.Commitments;
import org.vettedaccess.policy.ledger.LedgerRecorder;
import org.vettedaccess.policy.tier.TierEntity;
import org.vettedaccess.policy.tier.TierService;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Grants: issued only where the researcher's KYC assurance and the tier permit, bound to a purpose and a period,
 * and changed only through suspend, reinstate and revoke. Every change is a ledger leaf naming the KYC
 * decision's leaf: issue and reinstate are written to the ledger before they commit (refused with a 503 if it is
 * down); suspend, revoke and expiry commit at once with their leaf in the outbox ({@code leafIndex} null until it is
 * delivered, then set by {@link GrantLeaves}).
 */
@ApplicationScoped
public class GrantService {

    private static final int MAX_PURPOSE = 2000;
    private static final int MIN_SUBSTANTIVE_PURPOSE = 40;

    private final GrantRepository grants;
    private final ModelRepository models;
    private final AssuranceRepository assurances;
    private final TierService tiers;
    private final LedgerRecorder ledger;
    private final ChangeFeed feed;
    private final Clock clock;

    public GrantService(
            GrantRepository grants,
            ModelRepository models,
            AssuranceRepository assurances,
            TierService tiers,
            LedgerRecorder ledger,
            ChangeFeed feed,
            Clock clock) {
        this.grants = grants;
        this.models = models;
        this.assurances = assurances;
        this.tiers = tiers;
        this.ledger = ledger;
        this.feed = feed;
        this.clock = clock;
    }

    @Transactional
    public GrantRecord issue(GrantRequest request, String admin) {
        if (request == null || request.subject() == null || request.subject().isBlank()) {
            throw ProblemException.invalidField("subject", "is required");
        }
        if (request.tier() == null) {
            throw ProblemException.invalidField("tier", "is required");
        }
        TierEntity tier = tiers.current(request.tier());
        if (request.models() == null || request.models().isEmpty()) {
            throw ProblemException.invalidField("models", "must name at least one model");
        }
        for (String id : request.models()) {
            ModelEntity model = models.findById(id);
            if (model == null) {
                throw ProblemException.invalidField("models", "names '" + id + "', which is not in the catalog");
            }
            if (model.requiredTier > tier.tier) {
                throw refused(
                        "model '" + id + "' requires tier " + model.requiredTier + "; the grant is tier " + tier.tier);
            }
        }
        String purpose = request.purpose() == null ? "" : request.purpose().strip();
        if (purpose.isEmpty() || purpose.length() > MAX_PURPOSE) {
            throw ProblemException.invalidField("purpose", "must be 1 to " + MAX_PURPOSE + " characters");
        }
        if (tier.purposeRequired && purpose.length() < MIN_SUBSTANTIVE_PURPOSE) {
            throw refused("tier " + tier.tier + " needs a purpose statement of at least " + MIN_SUBSTANTIVE_PURPOSE
                    + " characters");
        }
        Instant now = clock.instant();
        Instant from = request.validFrom() == null ? now : request.validFrom();
        if (request.validUntil() == null || !request.validUntil().isAfter(from)) {
            throw ProblemException.invalidField("validUntil", "must be after the start");
        }
        if (Duration.between(from, request.validUntil()).compareTo(Duration.ofDays(tier.maxGrantDays)) > 0) {
            throw refused("tier " + tier.tier + " grants last at most " + tier.maxGrantDays + " days");
        }
        AssuranceEntity assurance = assurances.findById(request.subject());
        if (assurance == null || !assurance.status.equals("APPROVED")) {
            throw refused("the researcher has no current KYC approval"
                    + (assurance == null ? "" : " (KYC status " + assurance.status + ")"));
        }
        if (assurance.assuranceLevel < tier.minAssurance) {
            throw refused("the researcher's KYC assurance level " + assurance.assuranceLevel + " is below tier "
                    + tier.tier + "'s minimum of " + tier.minAssurance);
        }
        if (assurance.kycLeaf == null) {
            throw refused("the researcher's KYC decision has no ledger leaf yet");
        }
        if (assurance.approvedTier < tier.tier) {
            throw refused(
                    "the researcher's KYC approval covers tier " + assurance.approvedTier + ", not tier " + tier.tier);
        }
        GrantEntity grant = new GrantEntity();
        grant.id = UUID.randomUUID();
        grant.subject = request.subject();
        grant.models = request.models().toArray(String[]::new);
        grant.purpose = purpose;
        grant.purposeSalt = newSalt();
        grant.tier = tier.tier;
        grant.validFrom = from;
        grant.validUntil = request.validUntil();
        grant.status = "ACTIVE";
        grant.kycLeaf = assurance.kycLeaf;
        grant.version = 1;
        grant.createdAt = now;
        grant.createdBy = admin;
        grant.updatedAt = now;
        grant.leafIndex = ledger.permissive(key(grant), "grant.issued", leaf(grant, tier, admin, "issued"));
        grants.persist(grant);
        feed.record("grant.issued", grant.id, grant.subject, null);
        return record(grant);
    }

    @Transactional
    public GrantRecord suspend(UUID id, GrantChange change, String admin) {
        return transition(id, change, admin, "ACTIVE", "SUSPENDED", "grant.suspended");
    }

    @Transactional
    public GrantRecord reinstate(UUID id, GrantChange change, String admin) {
        return transition(id, change, admin, "SUSPENDED", "ACTIVE", "grant.changed");
    }

    @Transactional
    public GrantRecord revoke(UUID id, GrantChange change, String admin) {
        return transition(id, change, admin, null, "REVOKED", "grant.revoked");
    }

    /** What became of a grant an approval asked for: issued, or refused with the reason. */
    public record AutoGrant(GrantRecord grant, String refused, boolean needsAdmin) {
        AutoGrant(GrantRecord grant, String refused) {
            this(grant, refused, false);
        }
    }

    /**
     * Issues the grant a KYC approval asked for, where the tier allows grants without an admin; otherwise, or if
     * the grant would be refused, says why. Runs in its own transaction after the approval is stored, so a refused
     * grant never undoes the approval. A researcher who already holds an active grant for the same models gets
     * that one back, so a repeated report never issues twice.
     */
    public AutoGrant autoGrant(AssuranceOutcome outcome) {
        TierEntity tier = tiers.current(outcome.tier());
        if (!tier.autoGrant) {
            return new AutoGrant(null, "tier " + tier.tier + " grants are issued by a policy admin", true);
        }
        Instant now = clock.instant();
        for (GrantEntity existing : grants.ofSubject(outcome.subject())) {
            if (effectiveStatus(existing, now).equals("ACTIVE")
                    && existing.tier == tier.tier
                    && List.of(existing.models).containsAll(outcome.models())) {
                return new AutoGrant(record(existing), null);
            }
        }
        Instant until = now.plus(Duration.ofDays(tier.maxGrantDays));
        if (outcome.validUntil() != null && outcome.validUntil().isBefore(until)) {
            until = outcome.validUntil();
        }
        try {
            return new AutoGrant(
                    self().issue(
                                    new GrantRequest(
                                            outcome.subject(),
                                            outcome.models(),
                                            outcome.purpose(),
                                            tier.tier,
                                            now,
                                            until),
                                    "kyc-service"),
                    null);
        } catch (ProblemException refused) {
            return new AutoGrant(null, refused.getMessage());
        }
    }

    /** The approval an automatic grant rests on. */
    public record AssuranceOutcome(String subject, int tier, List<String> models, String purpose, Instant validUntil) {}

    /**
     * Records every ACTIVE grant whose end has passed as EXPIRED, each with a grant.expired leaf; returns how many.
     * Decisions already treat such grants as expired by the clock; this makes the ledger say so too.
     */
    @Transactional
    public int expireDue(int limit) {
        Instant now = clock.instant();
        List<GrantEntity> due = grants.dueForExpiry(now, limit);
        for (GrantEntity grant : due) {
            grant.status = "EXPIRED";
            grant.version++;
            grant.updatedAt = now;
            grant.leafIndex = null;
            ledger.restrictive(
                    key(grant),
                    "grant.expired",
                    restrictiveLeaf(grant, tiers.current(grant.tier), "access-policy", "validity ended"));
            feed.record("grant.expired", grant.id, grant.subject, null);
        }
        return due.size();
    }

    private GrantService self() {
        return io.quarkus.arc.Arc.container().instance(GrantService.class).get();
    }

    private GrantRecord transition(UUID id, GrantChange change, String admin, String from, String to, String type) {
        if (change == null
                || change.reason() == null
                || change.reason().isBlank()
                || change.reason().length() > 500) {
            throw ProblemException.invalidField("reason", "is required (1 to 500 characters)");
        }
        GrantEntity grant = find(id);
        String current = effectiveStatus(grant, clock.instant());
        boolean allowed =
                from == null ? !current.equals("REVOKED") && !current.equals("EXPIRED") : current.equals(from);
        if (!allowed) {
            throw new ProblemException(ProblemType.CONFLICT, "A " + current + " grant cannot become " + to + ".");
        }
        grant.status = to;
        grant.version++;
        grant.updatedAt = clock.instant();
        if (to.equals("ACTIVE")) {
            grant.leafIndex =
                    ledger.permissive(key(grant), type, leaf(grant, tiers.current(grant.tier), admin, change.reason()));
        } else {
            grant.leafIndex = null;
            ledger.restrictive(
                    key(grant), type, restrictiveLeaf(grant, tiers.current(grant.tier), admin, change.reason()));
        }
        feed.record(type, grant.id, grant.subject, null);
        return record(grant);
    }

    public GrantRecord get(UUID id) {
        return record(find(id));
    }

    public List<GrantRecord> ofSubject(String subject) {
        return grants.ofSubject(subject).stream().map(this::record).toList();
    }

    private GrantEntity find(UUID id) {
        GrantEntity grant = grants.findById(id);
        if (grant == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No grant " + id + ".");
        }
        return grant;
    }

    GrantRecord record(GrantEntity grant) {
        return new GrantRecord(
                grant.id,
                grant.subject,
                List.of(grant.models),
                grant.purpose,
                grant.purposeSalt,
                grant.tier,
                grant.validFrom,
                grant.validUntil,
                effectiveStatus(grant, clock.instant()),
                grant.leafIndex,
                grant.kycLeaf,
                grant.version);
    }

    /** ACTIVE grants whose end has passed are EXPIRED, by the clock, without anyone having to act. */
    public static String effectiveStatus(GrantEntity grant, Instant now) {
        return grant.status.equals("ACTIVE") && !now.isBefore(grant.validUntil) ? "EXPIRED" : grant.status;
    }

    /** The idempotency key of a grant's change: one per version. */
    static String key(GrantEntity grant) {
        return "grant:" + grant.id + ":v" + grant.version;
    }

    /**
     * A restrictive change's leaf also says when it took effect ({@code at}): the outbox may deliver it later, and
     * conformance (docs/regulators.md) counts the restriction from then. A permissive leaf has no {@code at}: it
     * is appended before its change commits, and a retried append must be the same entry.
     */
    private static Map<String, Object> restrictiveLeaf(
            GrantEntity grant, TierEntity tier, String actor, String reason) {
        Map<String, Object> entry = leaf(grant, tier, actor, reason);
        entry.put("at", grant.updatedAt.toString());
        return entry;
    }

    private static Map<String, Object> leaf(GrantEntity grant, TierEntity tier, String actor, String reason) {
        Map<String, Object> quota = new LinkedHashMap<>();
        quota.put("rpm", tier.rpm);
        quota.put("inputTpm", tier.inputTpm);
        quota.put("outputTpm", tier.outputTpm);
        if (tier.tokenBudget != null) {
            quota.put("tokenBudget", tier.tokenBudget);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("grantId", grant.id.toString());
        entry.put("subject", grant.subject);
        entry.put("models", List.of(grant.models));
        entry.put("purposeCommitment", purposeCommitment(grant.purposeSalt, grant.purpose));
        entry.put("tier", grant.tier);
        entry.put("validFrom", grant.validFrom.toString());
        entry.put("validUntil", grant.validUntil.toString());
        entry.put("quota", quota);
        entry.put("kycLeaf", grant.kycLeaf);
        entry.put("actor", actor);
        entry.put("reason", reason);
        return entry;
    }

    /**
     * The purpose as the ledger commits to it: hex SHA-256 of the salt's bytes followed by the purpose's UTF-8 bytes.
     * The researcher is given the salt with the grant, so they can show what they committed to; nobody else can
     * test a guessed purpose against the log or link two researchers' equal purposes. A grant without a salt
     * (issued before salting) keeps the bare hash its earlier leaves carry.
     */
    static String purposeCommitment(String salt, String purpose) {
        return Commitments.of(salt, purpose);
    }

    private static String newSalt() {
        return Commitments.salt();
    }

    private static ProblemException refused(String why) {
        return new ProblemException(ProblemType.POLICY_REFUSED, "The grant is refused: " + why + ".");
    }
}
