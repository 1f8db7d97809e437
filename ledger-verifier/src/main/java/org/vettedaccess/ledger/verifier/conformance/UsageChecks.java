package org.vettedaccess.ledger.verifier.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.ledger.verifier.conformance.PolicyReplay.Usage;
import org.vettedaccess.ledger.verifier.conformance.Timeline.Version;

/**
 * The rules about each usage leaf. A call passes a rule if the policy in force at its start, or the policy in
 * force one propagation bound earlier, allowed it (a restriction may take up to the bound to reach every replica).
 */
final class UsageChecks {

    private static final long MINUTE = 60_000;

    private final PolicyReplay replay;
    private final long bound;
    private final ScopedCalls scoped;

    UsageChecks(PolicyReplay replay, long boundMillis, ScopedCalls scoped) {
        this.replay = replay;
        this.bound = boundMillis;
        this.scoped = scoped;
    }

    /** Checks every usage in {@code [from, to)}; returns how many there were. */
    long check(long from, long to, List<Violation> out) {
        long checked = 0;
        for (Usage usage : replay.usages) {
            if (usage.index() >= from && usage.index() < to) {
                checked++;
                checkOne(usage, out);
            }
        }
        quotas(from, to, out);
        return checked;
    }

    private void checkOne(Usage u, List<Violation> out) {
        Instant start = u.startedAt();
        Instant early = start.minusMillis(bound);
        Version named = replay.policyLeaves.get(u.grantLeaf());
        if (named == null
                || !named.type().startsWith("grant.")
                || named.index() >= u.index()
                || !named.leaf().path("grantId").asText().equals(u.grantId())
                || !named.leaf().path("subject").asText().equals(u.subject())) {
            out.add(new Violation(
                    u.index(),
                    Rule.USAGE_CHAIN,
                    "grantLeaf " + u.grantLeaf() + " is not an earlier leaf of grant " + u.grantId()
                            + " and the same subject",
                    List.of(u.index())));
        } else if (u.finishedAt().isBefore(start)
                || u.finishedAt().isAfter(u.loggedAt().plusMillis(bound))) {
            out.add(new Violation(
                    u.index(),
                    Rule.USAGE_CHAIN,
                    "its times are inconsistent: started " + start + ", finished " + u.finishedAt() + ", logged "
                            + u.loggedAt(),
                    List.of(u.index())));
        }
        Timeline grant = replay.grants.get(u.grantId());
        if (grant == null) {
            out.add(new Violation(
                    u.index(),
                    Rule.GRANT_ACTIVE,
                    "no leaf of grant " + u.grantId() + " is in the log",
                    List.of(u.index())));
            return;
        }
        Version now = grant.at(start);
        Version before = grant.at(early);
        Version active = activeGrant(now, start, u) ? now : activeGrant(before, early, u) ? before : null;
        if (active == null) {
            Version shown = now != null ? now : grant.byIndex().get(0);
            out.add(new Violation(
                    u.index(),
                    Rule.GRANT_ACTIVE,
                    "grant " + u.grantId() + " was not active at " + start + " ("
                            + (now == null ? "not yet issued" : describe(now, start, u)) + ")",
                    List.of(u.index(), shown.index())));
        }
        Version terms =
                active != null ? active : now != null ? now : grant.byIndex().get(0);
        if (!Loosening.texts(terms.leaf().path("models")).contains(u.model())
                && (before == null
                        || !Loosening.texts(before.leaf().path("models")).contains(u.model()))) {
            out.add(new Violation(
                    u.index(),
                    Rule.GRANT_MODEL,
                    "model " + u.model() + " is not in grant " + u.grantId(),
                    List.of(u.index(), terms.index())));
        }
        long tier = terms.leaf().path("tier").asLong();
        Version model = replay.modelAt(u.model(), start);
        Version modelEarly = replay.modelAt(u.model(), early);
        if (!activeModel(model) && !activeModel(modelEarly)) {
            out.add(new Violation(
                    u.index(),
                    Rule.MODEL_ACTIVE,
                    model == null
                            ? "model " + u.model() + " was not in the catalog"
                            : "model " + u.model() + " was "
                                    + model.leaf().path("status").asText(),
                    model == null ? List.of(u.index()) : List.of(u.index(), model.index())));
        }
        Version tierNow = replay.tierAt(tier, start);
        Version tierEarly = replay.tierAt(tier, early);
        if (!allows(tierNow, u.endpoint()) && !allows(tierEarly, u.endpoint())) {
            out.add(new Violation(
                    u.index(),
                    Rule.TIER_ENDPOINT,
                    tierNow == null
                            ? "no version of tier " + tier + " was in force"
                            : "tier " + tier + " version "
                                    + tierNow.leaf().path("version").asLong() + " does not allow " + u.endpoint(),
                    tierNow == null ? List.of(u.index()) : List.of(u.index(), tierNow.index())));
        }
        kyc(u, terms, start, early, out);
        killSwitches(u, model != null ? model : modelEarly, start, early, out);
        key(u, early, out);
    }

    private static boolean activeGrant(Version v, Instant t, Usage u) {
        if (v == null || !(v.type().equals("grant.issued") || v.type().equals("grant.changed"))) {
            return false;
        }
        JsonNode leaf = v.leaf();
        return leaf.path("subject").asText().equals(u.subject())
                && !t.isBefore(PolicyReplay.time(leaf, "validFrom", Instant.MAX))
                && t.isBefore(PolicyReplay.time(leaf, "validUntil", Instant.MIN));
    }

    private static String describe(Version v, Instant t, Usage u) {
        if (!v.type().equals("grant.issued") && !v.type().equals("grant.changed")) {
            return v.type().substring("grant.".length()) + " by leaf " + v.index();
        }
        if (!v.leaf().path("subject").asText().equals(u.subject())) {
            return "it is another subject's grant";
        }
        return "outside its validity " + v.leaf().path("validFrom").asText() + " to "
                + v.leaf().path("validUntil").asText();
    }

    private static boolean activeModel(Version v) {
        return v != null && v.leaf().path("status").asText().equals("ACTIVE");
    }

    /**
     * Whether the tier allowed the endpoint; the Responses API counts as the chat operation it is, as access-policy
     * decides it (ADR 0080): a tier that lists chat completions allows /v1/responses.
     */
    private static boolean allows(Version tier, String endpoint) {
        String listed = "/v1/responses".equals(endpoint) ? "/v1/chat/completions" : endpoint;
        return tier != null && Loosening.texts(tier.leaf().path("endpoints")).contains(listed);
    }

    /** The grant's KYC approval still in force: its application not ended (or another approval of the subject). */
    private void kyc(Usage u, Version grant, Instant start, Instant early, List<Violation> out) {
        Version decision = replay.policyLeaves.get(grant.leaf().path("kycLeaf").asLong(-1));
        if (decision == null || !decision.type().equals("kyc.decision")) {
            return; // the grant's own violation (VA-KYC-APPROVAL) names it
        }
        Timeline application =
                replay.kycApplications.get(decision.leaf().path("applicationId").asText());
        Timeline subject = replay.kycSubjects.get(u.subject());
        Version ended = null;
        for (Instant t : new Instant[] {start, early}) {
            Version latest = application.at(t);
            Version latestOfSubject = subject == null ? null : subject.at(t);
            if (approvedAt(latest, t) || approvedAt(latestOfSubject, t)) {
                return;
            }
            if (ended == null) {
                ended = latest != null ? latest : decision;
            }
        }
        String why = ended.leaf().path("outcome").asText().equals("APPROVED")
                ? "the KYC approval " + (ended.at().isAfter(start) ? "was not yet in force" : "had expired")
                : "the KYC approval was followed by "
                        + ended.leaf().path("outcome").asText();
        out.add(new Violation(u.index(), Rule.KYC_CURRENT, why, List.of(u.index(), ended.index())));
    }

    private static boolean approvedAt(Version v, Instant t) {
        return v != null
                && v.leaf().path("outcome").asText().equals("APPROVED")
                && t.isBefore(PolicyReplay.time(v.leaf(), "validUntil", Instant.MAX));
    }

    private void killSwitches(Usage u, Version model, Instant start, Instant early, List<Violation> out) {
        String requiredTier =
                model == null ? null : model.leaf().path("requiredTier").asText();
        for (List<Version> history : replay.switches.values()) {
            Version engaged = null;
            Version released = null;
            for (Version v : history) {
                if (v.type().equals("killswitch.engaged") && engaged == null) {
                    engaged = v;
                } else if (v.type().equals("killswitch.released") && released == null) {
                    released = v;
                }
            }
            if (engaged == null
                    || engaged.at().isAfter(early)
                    || (released != null && !start.isBefore(released.at()))) {
                continue;
            }
            JsonNode scope = engaged.leaf().path("scope");
            boolean covers = scope.path("global").asBoolean(false)
                    || Loosening.texts(scope.path("models")).contains(u.model())
                    || (requiredTier != null
                            && Loosening.texts(scope.path("tiers")).contains(requiredTier))
                    || ((scope.has("institutions") || scope.has("countries"))
                            // A switch on one model (ADR 0045) can only have stopped that model's calls.
                            && (!scope.has("model")
                                    || scope.path("model").asText().equals(u.model()))
                            && scoped.match(u, scope, switchName(engaged)) == ScopedCalls.Match.IN);
            if (covers) {
                out.add(new Violation(
                        u.index(),
                        Rule.KILLSWITCH,
                        "kill switch " + engaged.leaf().path("switchId").asText() + " (" + scope + ") was engaged at "
                                + engaged.at() + ", more than " + bound + " ms before the call",
                        List.of(u.index(), engaged.index())));
            }
        }
    }

    private static String switchName(Version engaged) {
        return "INSTITUTION or COUNTRY kill switch "
                + engaged.leaf().path("switchId").asText() + " (leaf " + engaged.index() + ", "
                + engaged.leaf().path("scope") + ")";
    }

    private void key(Usage u, Instant early, List<Violation> out) {
        if (u.keyId() == null) {
            return;
        }
        List<Version> history = replay.keys.getOrDefault(u.keyId(), List.of());
        Version issued = history.stream()
                .filter(v -> v.type().equals("key.issued"))
                .findFirst()
                .orElse(null);
        String problem = null;
        List<Long> proof = new ArrayList<>(List.of(u.index()));
        if (issued == null) {
            problem = "key " + u.keyId() + " has no key.issued leaf";
        } else {
            proof.add(issued.index());
            JsonNode leaf = issued.leaf();
            if (!leaf.path("subject").asText().equals(u.subject())) {
                problem = "key " + u.keyId() + " was issued to another subject";
            } else if (leaf.hasNonNull("grantId")
                    && !leaf.get("grantId").asText().equals(u.grantId())) {
                problem = "key " + u.keyId() + " is bound to grant "
                        + leaf.get("grantId").asText();
            } else if (!early.isBefore(PolicyReplay.time(leaf, "expiresAt", Instant.MAX))) {
                problem = "key " + u.keyId() + " expired at "
                        + leaf.path("expiresAt").asText();
            }
        }
        for (Version v : history) {
            if (problem == null && v.type().equals("key.revoked") && !v.at().isAfter(early)) {
                problem = "key " + u.keyId() + " was revoked at " + v.at() + ", more than " + bound
                        + " ms before the call";
                proof.add(v.index());
            }
        }
        if (problem != null) {
            out.add(new Violation(u.index(), Rule.KEY_VALID, problem, proof));
        }
    }

    /**
     * Replays each grant's token buckets (requests, input and output tokens per minute, refilled continuously as
     * the gateway's are) and its budget, charging each call what it used at its start. A bucket may go into debt
     * by one reservation (a call that used more than it reserved); deeper, or a budget exceeded by more than one
     * reservation, is a violation.
     */
    private void quotas(long from, long to, List<Violation> out) {
        Map<String, List<Usage>> byGrant = new HashMap<>();
        for (Usage usage : replay.usages) {
            if (usage.index() < to) {
                byGrant.computeIfAbsent(usage.grantId(), g -> new ArrayList<>()).add(usage);
            }
        }
        for (Map.Entry<String, List<Usage>> entry : byGrant.entrySet()) {
            Timeline grant = replay.grants.get(entry.getKey());
            if (grant == null) {
                continue;
            }
            List<Usage> calls = entry.getValue();
            calls.sort(Comparator.comparing(Usage::startedAt).thenComparingLong(Usage::index));
            double[] level = null;
            long last = 0;
            long spent = 0;
            for (Usage u : calls) {
                Version terms = grant.at(u.startedAt());
                terms = terms != null ? terms : grant.byIndex().get(0);
                Version tier = replay.tierAt(terms.leaf().path("tier").asLong(), u.startedAt());
                if (tier == null) {
                    continue;
                }
                JsonNode limits = tier.leaf().path("limits");
                long[] capacity = {
                    limits.path("rpm").asLong(),
                    limits.path("inputTpm").asLong(),
                    limits.path("outputTpm").asLong()
                };
                long slackTokens = limits.path("maxTokens").asLong();
                long now = u.startedAt().toEpochMilli();
                if (level == null) {
                    level = new double[] {capacity[0], capacity[1], capacity[2]};
                    last = now;
                }
                long[] used = {1, u.inputTokens(), u.outputTokens()};
                String[] names = {"requests", "input tokens", "output tokens"};
                String over = null;
                for (int b = 0; b < 3; b++) {
                    level[b] =
                            Math.min(capacity[b], level[b] + Math.max(0, now - last) * (double) capacity[b] / MINUTE);
                    level[b] -= used[b];
                    double slack = b == 0 ? 1 : slackTokens;
                    if (level[b] < -slack && over == null) {
                        over = names[b] + " per minute exceeded tier "
                                + tier.leaf().path("tier").asLong() + "'s " + capacity[b] + " by "
                                + Math.round(-level[b]);
                    }
                }
                last = Math.max(last, now);
                spent += u.inputTokens() + u.outputTokens();
                boolean inRange = u.index() >= from;
                if (over != null && inRange) {
                    out.add(new Violation(u.index(), Rule.QUOTA_RATE, over, List.of(u.index(), tier.index())));
                }
                if (limits.has("tokenBudget")
                        && spent > limits.path("tokenBudget").asLong() + slackTokens
                        && inRange) {
                    out.add(new Violation(
                            u.index(),
                            Rule.QUOTA_BUDGET,
                            "grant " + u.grantId() + " has used " + spent + " tokens of a budget of "
                                    + limits.path("tokenBudget").asLong(),
                            List.of(u.index(), tier.index())));
                }
            }
        }
    }
}
