package org.vettedaccess.ledger.verifier.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.vettedaccess.ledger.core.ScopeTags;
import org.vettedaccess.ledger.verifier.conformance.Timeline.Version;

/**
 * Conformance replay: rebuilds the policy in force at every moment from the leaves alone and checks every usage,
 * grant, catalog and tier change, kill-switch release, incident report and tripwire trip in an index range against
 * it ({@link Rule}). Plain Java,
 * used by {@code ledger-verifier conformance} and by the usage-ledger's regulator API alike.
 *
 * <p>Feed it every leaf of {@code [0, to)} with {@link #add} (any order), then call {@link #check}: leaves before
 * {@code from} are replayed (they make the policy) but only those in the range are judged.
 */
public final class Conformance {

    private final long boundMillis;
    private final List<ScopeTags> scopeKeys;
    private final PolicyReplay replay;

    /** @param bound how long a restrictive change may take to reach every gateway (invariant 4: 1 s) */
    public Conformance(Duration bound) {
        this(bound, List.of());
    }

    /**
     * @param bound as above
     * @param scopeKeys the scope-tag keys the regulator holds (ADR 0046): with them, INSTITUTION and COUNTRY kill
     *     switches and scope trips are judged on the usage leaves tagged under one of them
     */
    public Conformance(Duration bound, List<ScopeTags> scopeKeys) {
        this.boundMillis = bound.toMillis();
        this.scopeKeys = List.copyOf(scopeKeys);
        this.replay =
                new PolicyReplay(this.scopeKeys.stream().map(ScopeTags::id).collect(Collectors.toSet()));
    }

    /** Adds a leaf: its index and its bytes (the canonical JSON the ledger hashed). */
    public void add(long index, byte[] leaf) {
        replay.add(index, leaf);
    }

    /** Checks the leaves in {@code [from, to)} against the policy rebuilt from all leaves added. */
    public ConformanceReport check(long from, long to) {
        List<Violation> violations = new ArrayList<>();
        List<String> uncheckable = new ArrayList<>();
        long grants = 0;
        long changes = 0;
        long firstOrdinary = firstOrdinaryChange();
        long seeds = 0;
        for (Version version : replay.policyLeaves.values()) {
            if (version.index() < from || version.index() >= to) {
                continue;
            }
            switch (version.type()) {
                case "grant.issued", "grant.changed" -> {
                    grants++;
                    checkGrant(version, violations);
                }
                case "model.registered", "model.changed", "tier.changed", "killswitch.released" -> {
                    changes++;
                    if (seeded(version) && version.index() < firstOrdinary) {
                        seeds++; // recorded at first start, before any change the log itself saw: not judged
                    } else {
                        if (seeded(version)) {
                            violations.add(new Violation(
                                    version.index(),
                                    Rule.SEED,
                                    "a seeded leaf after the log's first ordinary catalog or tier change (leaf "
                                            + firstOrdinary + ")",
                                    List.of(version.index(), firstOrdinary)));
                        }
                        checkChange(version, violations, uncheckable);
                    }
                }
                default -> {}
            }
        }
        if (seeds > 0) {
            uncheckable.add(seeds + " seeded catalog or tier leaf/leaves (before the first ordinary change"
                    + (firstOrdinary == Long.MAX_VALUE ? "" : ", leaf " + firstOrdinary) + ") record versions made"
                    + " before they could be leaves: who approved them is not in the log");
        }
        ScopedCalls scoped = new ScopedCalls(scopeKeys);
        long usages = new UsageChecks(replay, boundMillis, scoped).check(from, to, violations);
        IncidentChecks incidents = new IncidentChecks(replay, boundMillis, scoped);
        long reports = incidents.reports(from, to, violations);
        long trips = incidents.trips(from, to, violations);
        scoped.report(uncheckable);
        violations.sort(Comparator.comparingLong(Violation::index).thenComparing(Violation::rule));
        return new ConformanceReport(
                from, to, boundMillis, usages, grants, changes, reports, trips, violations, uncheckable);
    }

    private static boolean seeded(Version version) {
        return version.leaf().path("seeded").asBoolean(false);
    }

    /** The first catalog or tier leaf the lab wrote as it made the change (not seeded); none: MAX_VALUE. */
    private long firstOrdinaryChange() {
        long first = Long.MAX_VALUE;
        for (Version version : replay.policyLeaves.values()) {
            boolean catalogOrTier =
                    version.type().startsWith("model.") || version.type().equals("tier.changed");
            if (catalogOrTier && !seeded(version)) {
                first = Math.min(first, version.index());
            }
        }
        return first;
    }

    /** Leaves added: one past the highest index. */
    public long size() {
        return replay.size();
    }

    /** A grant issued or reinstated: its KYC decision, its tier's requirements then, its models' tiers then. */
    private void checkGrant(Version grant, List<Violation> out) {
        JsonNode leaf = grant.leaf();
        long tier = leaf.path("tier").asLong();
        long kycLeaf = leaf.path("kycLeaf").asLong(-1);
        Version kyc = replay.policyLeaves.get(kycLeaf);
        Version tierVersion = replay.tierAt(tier, grant.at());
        if (kyc == null || !kyc.type().equals("kyc.decision") || kycLeaf >= grant.index()) {
            out.add(new Violation(
                    grant.index(),
                    Rule.KYC_APPROVAL,
                    "the grant names kycLeaf " + kycLeaf + ", which is not an earlier KYC decision",
                    List.of(grant.index())));
            return;
        }
        JsonNode decision = kyc.leaf();
        List<Long> proof = tierVersion == null
                ? List.of(grant.index(), kyc.index())
                : List.of(grant.index(), kyc.index(), tierVersion.index());
        long minAssurance = tierVersion == null
                ? 0
                : tierVersion.leaf().path("minAssurance").asLong();
        String problem = null;
        if (!decision.path("subject").asText().equals(leaf.path("subject").asText())) {
            problem = "the KYC decision is about another subject";
        } else if (!decision.path("outcome").asText().equals("APPROVED")) {
            problem = "the KYC decision is " + decision.path("outcome").asText() + ", not an approval";
        } else if (decision.path("tier").asLong() < tier) {
            problem = "the KYC approval is for tier " + decision.path("tier").asLong() + ", the grant tier " + tier;
        } else if (decision.path("assuranceLevel").asLong() < minAssurance) {
            problem = "assurance level " + decision.path("assuranceLevel").asLong() + " is below tier " + tier
                    + "'s minimum of " + minAssurance;
        }
        if (problem != null) {
            out.add(new Violation(grant.index(), Rule.KYC_APPROVAL, problem, proof));
        }
        long required = tierVersion == null
                ? (tier >= 3 ? 2 : 0)
                : Math.max(tierVersion.leaf().path("reviewers").asLong(), tier >= 3 ? 2 : 0);
        int reviewers = Loosening.texts(decision.path("reviewers")).size();
        if (reviewers < required) {
            out.add(new Violation(
                    grant.index(),
                    Rule.KYC_REVIEWERS,
                    "tier " + tier + " needs " + required + " distinct reviewers; the KYC decision has " + reviewers,
                    proof));
        }
        if (tier >= 3) {
            JsonNode screening = decision.path("screening");
            String open = null;
            if (screening.isMissingNode()) {
                open = "the KYC decision carries no screening summary";
            } else if (screening.path("cleared").asLong()
                    < screening.path("candidates").asLong()) {
                open = (screening.path("candidates").asLong()
                                - screening.path("cleared").asLong()) + " sanctions candidate(s) were not cleared";
            } else if (screening.path("trueMatches").asLong() > 0) {
                open = "a sanctions candidate was a true match";
            } else if (screening.path("strong").asLong() > 0
                    && screening.path("clearingReviewers").asLong() < 2) {
                open = "a strong sanctions match was cleared by fewer than two reviewers";
            }
            if (open != null) {
                out.add(new Violation(grant.index(), Rule.KYC_SANCTIONS, open, List.of(grant.index(), kyc.index())));
            }
        }
        for (JsonNode model : leaf.path("models")) {
            Version catalog = replay.modelAt(model.asText(), grant.at());
            if (catalog == null) {
                out.add(new Violation(
                        grant.index(),
                        Rule.GRANT_TIER,
                        "model " + model.asText() + " was not in the catalog when the grant was issued",
                        List.of(grant.index())));
            } else if (catalog.leaf().path("requiredTier").asLong() > tier) {
                out.add(new Violation(
                        grant.index(),
                        Rule.GRANT_TIER,
                        "model " + model.asText() + " required tier "
                                + catalog.leaf().path("requiredTier").asLong() + "; the grant is tier " + tier,
                        List.of(grant.index(), catalog.index())));
            }
        }
    }

    /** A catalog or tier version that loosened access, and a kill-switch release: two distinct actors. */
    private void checkChange(Version change, List<Violation> out, List<String> uncheckable) {
        JsonNode leaf = change.leaf();
        int actors = Loosening.actors(leaf);
        if (change.type().equals("killswitch.released")) {
            List<Version> history =
                    replay.switches.getOrDefault(leaf.path("switchId").asText(), List.of());
            Version request = history.stream()
                    .filter(v -> v.type().equals("killswitch.release-requested") && v.index() < change.index())
                    .findFirst()
                    .orElse(null);
            if (actors < 2 || request == null) {
                out.add(new Violation(
                        change.index(),
                        Rule.KILLSWITCH_RELEASE,
                        request == null
                                ? "the release follows no release request"
                                : "the release carries " + actors + " distinct actor(s)",
                        request == null ? List.of(change.index()) : List.of(change.index(), request.index())));
            }
            return;
        }
        boolean model = change.type().startsWith("model.");
        Timeline timeline = model
                ? replay.models.get(leaf.path("modelId").asText())
                : replay.tiers.get(leaf.path("tier").asLong());
        Version before = timeline.before(change.index());
        if (!model && before == null) {
            // A tier's first leaf is the version the lab started with (the seeded tiers get theirs at first start).
            if (leaf.path("version").asLong() > 1) {
                uncheckable.add("tier " + leaf.path("tier").asLong() + " version "
                        + leaf.path("version").asLong() + " (leaf " + change.index()
                        + ") has no earlier version in the log to compare with");
            }
            return;
        }
        boolean loosened = model
                ? Loosening.model(before == null ? null : before.leaf(), leaf)
                : Loosening.tier(before.leaf(), leaf);
        if (loosened && actors < 2) {
            List<Long> proof = before == null ? List.of(change.index()) : List.of(change.index(), before.index());
            out.add(new Violation(
                    change.index(),
                    Rule.TWO_ADMINS,
                    (before == null ? "a new model" : "a loosening change") + " carries " + actors
                            + " distinct actor(s)",
                    proof));
        }
    }

    /** For tests and tools: the rules by id. */
    public static Map<String, Rule> rules() {
        Map<String, Rule> rules = new java.util.LinkedHashMap<>();
        for (Rule rule : Rule.values()) {
            rules.put(rule.id(), rule);
        }
        return rules;
    }
}
