package org.vettedaccess.policy.tier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.vettedaccess.policy.change.ChangeFeed;
import org.vettedaccess.policy.changerequest.ChangeOutcome;
import org.vettedaccess.policy.changerequest.ChangeRequestEntity;
import org.vettedaccess.policy.changerequest.ChangeRequests;
import org.vettedaccess.policy.ledger.LedgerRecorder;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Tiers as data: every change is a new version, decisions use the newest, and every version is a ledger leaf
 * (tier.changed). A change that only narrows access applies at once; any other waits for a second policy admin.
 */
@ApplicationScoped
public class TierService {

    private static final Set<String> ENDPOINTS = Set.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings");

    private final TierRepository tiers;
    private final ChangeFeed feed;
    private final LedgerRecorder ledger;
    private final ChangeRequests requests;
    private final Clock clock;

    public TierService(
            TierRepository tiers, ChangeFeed feed, LedgerRecorder ledger, ChangeRequests requests, Clock clock) {
        this.tiers = tiers;
        this.feed = feed;
        this.ledger = ledger;
        this.requests = requests;
        this.clock = clock;
    }

    public List<TierRecord> current() {
        return tiers.current().stream().map(TierRecord::of).toList();
    }

    public TierEntity current(int tier) {
        return tiers.current(tier)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No tier " + tier + "."));
    }

    /**
     * Proposes a new version of a tier (the version number in the body is ignored): applied at once if it only
     * narrows access, else stored as a change request that a second, different policy admin must confirm.
     */
    @Transactional
    public ChangeOutcome<TierRecord> change(int tier, TierRecord request, String admin) {
        requests.lockTarget("tier:" + tier);
        TierEntity previous = current(tier);
        TierRecord after = validate(tier, request, previous);
        TierRecord before = TierRecord.of(previous);
        if (TierChange.restrictive(before, after)) {
            String key = TierChange.key(tier, after.version());
            TierEntity next = persist(after, admin, key, null);
            ledger.restrictive(key, "tier.changed", TierChange.leaf(after, List.of(admin), null));
            feed.record("tier.changed", null, null, "tier:" + tier);
            return ChangeOutcome.applied(TierRecord.of(next));
        }
        return ChangeOutcome.pending(requests.open(
                ChangeRequests.TIER,
                String.valueOf(tier),
                previous.version,
                after,
                admin,
                "tier.change-requested",
                changeId -> TierChange.leaf(after, List.of(admin), changeId)));
    }

    /**
     * Applies a pending tier change that a second admin confirms (the caller has checked who and locked the
     * request), only against the version it was asked for.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TierRecord confirm(ChangeRequestEntity request, String confirmer) {
        TierRecord proposed = requests.proposed(request, TierRecord.class);
        requests.lockTarget("tier:" + proposed.tier());
        TierEntity previous = current(proposed.tier());
        if (previous.version != request.baseVersion) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "Tier " + proposed.tier() + " changed since this was asked (version " + previous.version + " now, "
                            + request.baseVersion + " then); withdraw it and ask again.");
        }
        String key = TierChange.key(proposed.tier(), proposed.version());
        long leaf = ledger.permissive(
                key, "tier.changed", TierChange.leaf(proposed, List.of(request.requestedBy, confirmer), request.id));
        TierEntity next = persist(proposed, confirmer, key, leaf);
        requests.applied(request, confirmer, leaf);
        // Its own kind, so gateways may keep serving cached decisions while they refresh (ChangePage.Change).
        feed.record("tier.loosened", null, null, "tier:" + proposed.tier());
        return TierRecord.of(next);
    }

    /** Tier versions without a leaf (the seeded ones, those made before leaves were): each gets one. */
    @Transactional
    public int recordUnrecorded(int limit) {
        List<TierEntity> unrecorded = tiers.unrecorded(limit);
        for (TierEntity version : unrecorded) {
            version.leafKey = TierChange.key(version.tier, version.version);
            ledger.restrictive(
                    version.leafKey,
                    "tier.changed",
                    LedgerRecorder.seeded(TierChange.leaf(TierRecord.of(version), List.of(version.createdBy), null)));
        }
        return unrecorded.size();
    }

    private TierRecord validate(int tier, TierRecord request, TierEntity previous) {
        if (request == null) {
            throw ProblemException.invalidField("body", "is required");
        }
        positive("rpm", request.rpm());
        positive("inputTpm", request.inputTpm());
        positive("outputTpm", request.outputTpm());
        positive("maxTokens", request.maxTokens());
        positive("maxGrantDays", request.maxGrantDays());
        if (request.minAssurance() < 0 || request.minAssurance() > 3) {
            throw ProblemException.invalidField("minAssurance", "must be between 0 and 3");
        }
        if (request.reviewers() < 0 || request.reviewers() > 5) {
            throw ProblemException.invalidField("reviewers", "must be between 0 and 5");
        }
        if (request.rescreenDays() != null && request.rescreenDays() < 1) {
            throw ProblemException.invalidField("rescreenDays", "must be positive, or null for no re-screening");
        }
        if (request.tokenBudget() != null && request.tokenBudget() < 1) {
            throw ProblemException.invalidField("tokenBudget", "must be positive, or null for no budget");
        }
        if (request.endpoints() == null
                || request.endpoints().isEmpty()
                || !ENDPOINTS.containsAll(request.endpoints())) {
            throw ProblemException.invalidField("endpoints", "must name some of " + ENDPOINTS);
        }
        int keyDefaultDays = request.keyDefaultDays() == null ? previous.keyDefaultDays : request.keyDefaultDays();
        int keyMaxDays = request.keyMaxDays() == null ? previous.keyMaxDays : request.keyMaxDays();
        positive("keyDefaultDays", keyDefaultDays);
        if (keyMaxDays < keyDefaultDays) {
            throw ProblemException.invalidField("keyMaxDays", "must be at least keyDefaultDays");
        }
        return new TierRecord(
                tier,
                previous.version + 1,
                request.minAssurance(),
                request.reviewers(),
                request.purposeRequired(),
                request.rescreenDays(),
                request.rpm(),
                request.inputTpm(),
                request.outputTpm(),
                request.tokenBudget(),
                request.maxTokens(),
                List.copyOf(new LinkedHashSet<>(request.endpoints())),
                request.maxGrantDays(),
                keyDefaultDays,
                keyMaxDays,
                request.autoGrant() == null ? previous.autoGrant : request.autoGrant(),
                null);
    }

    private TierEntity persist(TierRecord version, String admin, String key, Long leaf) {
        TierEntity next = new TierEntity();
        next.tier = version.tier();
        next.version = version.version();
        next.minAssurance = version.minAssurance();
        next.reviewers = version.reviewers();
        next.purposeRequired = version.purposeRequired();
        next.rescreenDays = version.rescreenDays();
        next.rpm = version.rpm();
        next.inputTpm = version.inputTpm();
        next.outputTpm = version.outputTpm();
        next.tokenBudget = version.tokenBudget();
        next.maxTokens = version.maxTokens();
        next.endpoints = version.endpoints().toArray(String[]::new);
        next.maxGrantDays = version.maxGrantDays();
        next.keyDefaultDays = version.keyDefaultDays();
        next.keyMaxDays = version.keyMaxDays();
        next.autoGrant = version.autoGrant();
        next.createdAt = clock.instant();
        next.createdBy = admin;
        next.leafKey = key;
        next.leafIndex = leaf;
        tiers.persist(next);
        return next;
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw ProblemException.invalidField(field, "must be a positive integer");
        }
    }
}
