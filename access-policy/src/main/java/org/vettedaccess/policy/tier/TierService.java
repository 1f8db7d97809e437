package org.vettedaccess.policy.tier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.vettedaccess.policy.change.ChangeFeed;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** Tiers as data: every change is a new version, and decisions use the newest. */
@ApplicationScoped
public class TierService {

    private static final Set<String> ENDPOINTS = Set.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings");

    private final TierRepository tiers;
    private final ChangeFeed feed;
    private final Clock clock;

    public TierService(TierRepository tiers, ChangeFeed feed, Clock clock) {
        this.tiers = tiers;
        this.feed = feed;
        this.clock = clock;
    }

    public List<TierRecord> current() {
        return tiers.current().stream().map(TierRecord::of).toList();
    }

    public TierEntity current(int tier) {
        return tiers.current(tier)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No tier " + tier + "."));
    }

    /** Records a new version of a tier; the version number in the body is ignored. */
    @Transactional
    public TierRecord change(int tier, TierRecord request, String admin) {
        TierEntity previous = current(tier);
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
        if (request.tokenBudget() != null && request.tokenBudget() < 1) {
            throw ProblemException.invalidField("tokenBudget", "must be positive, or null for no budget");
        }
        if (request.endpoints() == null
                || request.endpoints().isEmpty()
                || !ENDPOINTS.containsAll(request.endpoints())) {
            throw ProblemException.invalidField("endpoints", "must name some of " + ENDPOINTS);
        }
        TierEntity next = new TierEntity();
        next.tier = tier;
        next.version = previous.version + 1;
        next.minAssurance = request.minAssurance();
        next.reviewers = request.reviewers();
        next.purposeRequired = request.purposeRequired();
        next.rescreenDays = request.rescreenDays();
        next.rpm = request.rpm();
        next.inputTpm = request.inputTpm();
        next.outputTpm = request.outputTpm();
        next.tokenBudget = request.tokenBudget();
        next.maxTokens = request.maxTokens();
        next.endpoints = request.endpoints().toArray(String[]::new);
        next.maxGrantDays = request.maxGrantDays();
        next.keyDefaultDays = request.keyDefaultDays() == null ? previous.keyDefaultDays : request.keyDefaultDays();
        next.keyMaxDays = request.keyMaxDays() == null ? previous.keyMaxDays : request.keyMaxDays();
        positive("keyDefaultDays", next.keyDefaultDays);
        if (next.keyMaxDays < next.keyDefaultDays) {
            throw ProblemException.invalidField("keyMaxDays", "must be at least keyDefaultDays");
        }
        next.autoGrant = request.autoGrant() == null ? previous.autoGrant : request.autoGrant();
        next.createdAt = clock.instant();
        next.createdBy = admin;
        tiers.persist(next);
        feed.record("tier.changed", null, null, "tier:" + tier);
        return TierRecord.of(next);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw ProblemException.invalidField(field, "must be a positive integer");
        }
    }
}
