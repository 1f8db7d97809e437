package org.vettedaccess.policy.decision;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;
import org.vettedaccess.contracts.policy.Entitlements;
import org.vettedaccess.policy.assurance.AssuranceEntity;
import org.vettedaccess.policy.catalog.ModelEntity;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.policy.grant.GrantEntity;
import org.vettedaccess.policy.grant.GrantService;
import org.vettedaccess.policy.killswitch.KillSwitchEntity;
import org.vettedaccess.policy.killswitch.Scopes;
import org.vettedaccess.policy.tier.TierEntity;
import org.vettedaccess.support.problem.ProblemException;

/**
 * The decision the gateway asks for before every forward. It fails closed: anything not positively allowed by
 * a current grant — an unknown model or subject, an expired, suspended or revoked grant, an engaged kill switch,
 * a lapsed KYC approval — and any error while deciding is a DENY with its reason. It has no side effects.
 */
@ApplicationScoped
public class DecisionService {

    private static final Logger LOG = Logger.getLogger(DecisionService.class);

    private final PolicySnapshot snapshot;
    private final SubjectRows subjects;
    private final PolicyConfig config;
    private final Clock clock;

    public DecisionService(PolicySnapshot snapshot, SubjectRows subjects, PolicyConfig config, Clock clock) {
        this.snapshot = snapshot;
        this.subjects = subjects;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The decision, from a state that has applied every change the caller has seen ({@code afterSeq}, ADR 0098):
     * catalog, tiers and kill switches from memory, the subject's rows from memory or one query. A replica that cannot
     * catch up in time answers a deny with TTL 0 ({@code internal_error}), which the gateway treats as unavailable.
     * Blocking (a query, a lock wait); it brings its own request context for the query when it runs on a worker
     * thread that has none.
     */
    @ActivateRequestContext
    public Decision decide(DecisionRequest request) {
        long ttl = config.decisionTtl().toMillis();
        try {
            if (invalid(request)) {
                return Decision.deny("invalid_request", 0);
            }
            PolicyState state = snapshot.atLeast(request.floor());
            return evaluate(request, ttl, state, subjects.of(request.subject()));
        } catch (RuntimeException e) {
            LOG.warnf("deciding failed, so the answer is deny: %s", e.toString());
            return Decision.deny("internal_error", 0);
        }
    }

    /**
     * The same decision as {@link #decide}, if it can be made from memory alone — the replica caught up with
     * {@code afterSeq} and within {@code policy.max-lag} of the feed, its state loaded, the subject's rows cached —
     * without reading the database or waiting for a lock, so on the event loop. Null when any of that is missing: the
     * caller then runs {@link #decide} on a worker thread.
     */
    public Decision fromMemory(DecisionRequest request) {
        if (invalid(request)) {
            return Decision.deny("invalid_request", 0);
        }
        PolicyState state = snapshot.inMemory(request.floor());
        SubjectRows.Rows rows = state == null ? null : subjects.cached(request.subject());
        if (rows == null) {
            return null;
        }
        try {
            return evaluate(request, config.decisionTtl().toMillis(), state, rows);
        } catch (RuntimeException e) {
            LOG.warnf("deciding failed, so the answer is deny: %s", e.toString());
            return Decision.deny("internal_error", 0);
        }
    }

    /**
     * What a subject may use now: each current grant with the models it allows on at least one endpoint (the
     * gateway's {@code GET /v1/models}) and the key lifetimes of its tier (the gateway's API keys).
     */
    public Entitlements entitlements(String subject) {
        if (subject == null || subject.isBlank()) {
            throw ProblemException.invalidField("subject", "is required");
        }
        // Within policy.max-lag of the feed, as a decision is; the subject's rows read now.
        PolicyState state = snapshot.atLeast(0);
        long ttl = config.decisionTtl().toMillis();
        SubjectRows.Rows rows = subjects.fresh(subject);
        List<Entitlements.Grant> current = new ArrayList<>();
        for (GrantEntity grant : rows.grants()) {
            TierEntity tier = state.tiers().get(grant.tier);
            if (tier == null) {
                continue;
            }
            List<String> allowed = Arrays.stream(grant.models)
                    .filter(model -> Arrays.stream(tier.endpoints)
                            .anyMatch(endpoint -> evaluate(
                                            new DecisionRequest(subject, model, endpoint, 1, grant.id),
                                            ttl,
                                            state,
                                            rows)
                                    .decision()
                                    .equals("ALLOW")))
                    .toList();
            if (!allowed.isEmpty()) {
                current.add(new Entitlements.Grant(
                        grant.id, grant.tier, allowed, grant.validUntil, tier.keyDefaultDays, tier.keyMaxDays));
            }
        }
        return new Entitlements(subject, current);
    }

    private static boolean invalid(DecisionRequest request) {
        return request == null
                || request.subject() == null
                || request.model() == null
                || request.endpoint() == null
                || request.maxTokens() == null
                || request.maxTokens() < 1;
    }

    /** The decision itself, on rows already read, without the fail-closed wrapper (tests call it directly). */
    Decision evaluate(DecisionRequest request, long ttl, PolicyState state, SubjectRows.Rows rows) {
        if (invalid(request)) {
            return Decision.deny("invalid_request", 0);
        }
        Instant now = clock.instant();
        ModelEntity model = state.models().get(request.model());
        if (model == null) {
            return Decision.deny("unknown_model", ttl);
        }
        if (!model.status.equals("ACTIVE")) {
            return Decision.deny("model_suspended", ttl);
        }
        AssuranceEntity assurance = rows.assurance();
        List<KillSwitchEntity> engaged = state.engaged();
        for (KillSwitchEntity kill : engaged) {
            if (applies(kill, model, assurance)) {
                return Decision.deny("kill_switch_engaged", ttl);
            }
        }
        List<GrantEntity> covering = rows.grants().stream()
                .filter(g -> Arrays.asList(g.models).contains(model.id))
                .filter(g -> request.grantId() == null || request.grantId().equals(g.id))
                .toList();
        GrantEntity grant = covering.stream()
                .filter(g -> GrantService.effectiveStatus(g, now).equals("ACTIVE") && !now.isBefore(g.validFrom))
                .findFirst()
                .orElse(null);
        if (grant == null) {
            return Decision.deny(whyNoGrant(covering, now), ttl);
        }
        if (grant.tier < model.requiredTier) {
            return Decision.deny("tier_insufficient", ttl);
        }
        TierEntity tier = state.tiers().get(grant.tier);
        if (tier == null) {
            return Decision.deny("unknown_tier", 0);
        }
        if (assurance == null
                || !assurance.status.equals("APPROVED")
                || (assurance.validUntil != null && !now.isBefore(assurance.validUntil))) {
            return Decision.deny("kyc_not_current", ttl);
        }
        if (assurance.assuranceLevel < tier.minAssurance) {
            return Decision.deny("assurance_insufficient", ttl);
        }
        if (!Arrays.asList(tier.endpoints).contains(tierEndpoint(request.endpoint()))) {
            return Decision.deny("endpoint_not_allowed", ttl);
        }
        if (request.maxTokens() > tier.maxTokens) {
            return Decision.deny("max_tokens_exceeded", ttl);
        }
        // Never reuse an allow past the grant's end.
        long untilExpiry = grant.validUntil.toEpochMilli() - now.toEpochMilli();
        return new Decision(
                "ALLOW",
                List.of(),
                UUID.randomUUID(),
                grant.id,
                grant.leafIndex,
                grant.tier,
                new Decision.Limits(tier.rpm, tier.inputTpm, tier.outputTpm, tier.tokenBudget, tier.maxTokens),
                model.upstreamRoute,
                policyVersion(model, tier, grant, assurance, engaged),
                grant.validUntil,
                Math.min(ttl, untilExpiry),
                grant.tier >= 2,
                model.parameterFamily,
                model.responsesApi,
                // What a kill switch's INSTITUTION and COUNTRY scopes match (applies, above): the tripwires count by
                // it.
                Scopes.institution(assurance.institution),
                assurance.country);
    }

    /**
     * The endpoint a tier must list for a call: the Responses API is the chat operation in another shape (the
     * gateway translates one into the other), so a tier that allows chat completions allows it (ADR 0080). The
     * ledger verifier's conformance check reads tiers the same way.
     */
    static String tierEndpoint(String endpoint) {
        return "/v1/responses".equals(endpoint) ? "/v1/chat/completions" : endpoint;
    }

    private static boolean applies(KillSwitchEntity kill, ModelEntity model, AssuranceEntity assurance) {
        return switch (kill.scopeKind) {
            case "GLOBAL" -> true;
            case "MODEL" -> kill.scopeValue.equals(model.id);
            case "TIER" -> kill.scopeValue.equals(String.valueOf(model.requiredTier));
            // An INSTITUTION or COUNTRY switch that names a model stops only that model's calls (ADR 0045). The
            // institution compares bare (Scopes): a switch's value and the assurance are both stored that way.
            case "INSTITUTION" ->
                assurance != null
                        && kill.scopeValue.equals(Scopes.institution(assurance.institution))
                        && (kill.scopeModel == null || kill.scopeModel.equals(model.id));
            case "COUNTRY" ->
                assurance != null
                        && kill.scopeValue.equals(assurance.country)
                        && (kill.scopeModel == null || kill.scopeModel.equals(model.id));
            // An unknown scope stops everything rather than nothing.
            default -> true;
        };
    }

    private static String whyNoGrant(List<GrantEntity> covering, Instant now) {
        List<String> statuses =
                covering.stream().map(g -> GrantService.effectiveStatus(g, now)).toList();
        if (statuses.contains("SUSPENDED")) {
            return "grant_suspended";
        }
        if (statuses.contains("EXPIRED")) {
            return "grant_expired";
        }
        if (statuses.contains("REVOKED")) {
            return "grant_revoked";
        }
        if (statuses.contains("ACTIVE")) {
            return "grant_not_started";
        }
        return "no_grant";
    }

    private static String policyVersion(
            ModelEntity model,
            TierEntity tier,
            GrantEntity grant,
            AssuranceEntity assurance,
            List<KillSwitchEntity> kills) {
        StringBuilder state = new StringBuilder()
                .append(model.id)
                .append('@')
                .append(model.version)
                .append('|')
                .append("tier")
                .append(tier.tier)
                .append('@')
                .append(tier.version)
                .append('|')
                .append(grant.id)
                .append('@')
                .append(grant.version)
                .append('|')
                .append(assurance.kycLeaf)
                .append('@')
                .append(assurance.updatedAt)
                .append('|');
        kills.forEach(k -> state.append(k.id).append(','));
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(state.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
