package org.vettedaccess.ledger.verifier.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.ledger.verifier.conformance.PolicyReplay.Usage;
import org.vettedaccess.ledger.verifier.conformance.Timeline.Version;

/**
 * The rules about incident reports and tripwire trips (issue 21): a report answered by its acknowledgement deadline
 * ({@link Rule#INCIDENT_ACK}), and no call in a tripped scope after the propagation bound ({@link
 * Rule#TRIPWIRE_SCOPE}). A trip's own leaf is enough: the scope holds even where the kill switch's or the
 * suspension's leaf were missing.
 */
final class IncidentChecks {

    /**
     * A tripped scope: calls starting in {@code [from, until)} are late; {@code scoped} is a CALLS_FROM_SCOPE trip's
     * institutions or countries (null: the whole model or grant).
     */
    private record Scope(Version trip, Instant from, Instant until, Version end, JsonNode scoped) {}

    private final PolicyReplay replay;
    private final long bound;
    private final ScopedCalls scopedCalls;

    IncidentChecks(PolicyReplay replay, long boundMillis, ScopedCalls scopedCalls) {
        this.replay = replay;
        this.bound = boundMillis;
        this.scopedCalls = scopedCalls;
    }

    /**
     * Each report's first answer against its deadline. A late answer is the breaking leaf; a report with no answer
     * breaks the rule at its own leaf once the log reaches past its deadline. Returns how many reports were judged.
     */
    long reports(long from, long to, List<Violation> out) {
        long judged = 0;
        for (Version report : replay.reports.values()) {
            Instant deadline = PolicyReplay.time(report.leaf(), "acknowledgeBy", null);
            Version answer =
                    replay.firstAnswers.get(report.leaf().path("reportId").asText());
            String severity = report.leaf().path("severity").asText();
            if (report.index() >= from && report.index() < to) {
                judged++;
            }
            if (deadline == null) {
                if (inRange(report.index(), from, to)) {
                    out.add(new Violation(
                            report.index(),
                            Rule.INCIDENT_ACK,
                            "the report's leaf names no acknowledgement deadline",
                            List.of(report.index())));
                }
            } else if (answer == null) {
                if (inRange(report.index(), from, to) && replay.latest().isAfter(deadline)) {
                    out.add(new Violation(
                            report.index(),
                            Rule.INCIDENT_ACK,
                            "the " + severity + " report had to be answered by " + deadline + "; the log reaches "
                                    + replay.latest() + " with no answer",
                            List.of(report.index())));
                }
            } else if (answer.at().isAfter(deadline) && inRange(answer.index(), from, to)) {
                out.add(new Violation(
                        answer.index(),
                        Rule.INCIDENT_ACK,
                        "the " + severity + " report had to be answered by " + deadline + "; its first answer ("
                                + answer.type().substring("incident.".length()) + ") was logged at " + answer.at(),
                        List.of(answer.index(), report.index())));
            }
        }
        return judged;
    }

    /**
     * Every call in {@code [from, to)} against the scopes of every trip before it. Returns the trips in range. A
     * CALLS_FROM_SCOPE trip that engaged an INSTITUTION or COUNTRY switch scopes the model's calls from its
     * institution or country, read from the calls' scope tags (ADR 0046); a call in its span whose tags cannot be
     * tested is counted and listed by {@link ScopedCalls}, never passed silently.
     */
    long trips(long from, long to, List<Violation> out) {
        Map<String, List<Scope>> byModel = new HashMap<>();
        Map<String, List<Scope>> byGrant = new HashMap<>();
        long judged = 0;
        for (Version trip : replay.trips) {
            if (trip.index() >= to) {
                continue;
            }
            if (trip.index() >= from) {
                judged++;
            }
            JsonNode leaf = trip.leaf();
            Instant start = trip.at().plusMillis(bound);
            JsonNode scoped = leaf.has("scope") && !leaf.hasNonNull("failedSwitchId") ? leaf.get("scope") : null;
            if (leaf.hasNonNull("switchId") || scoped != null) {
                Version released = leaf.hasNonNull("switchId")
                        ? released(leaf.get("switchId").asText(), trip.at())
                        : null;
                byModel.computeIfAbsent(leaf.path("model").asText(), m -> new ArrayList<>())
                        .add(new Scope(trip, start, released == null ? Instant.MAX : released.at(), released, scoped));
            } else if (leaf.hasNonNull("grantId")) {
                Version reinstated = reinstated(leaf.get("grantId").asText(), trip.at());
                byGrant.computeIfAbsent(leaf.get("grantId").asText(), g -> new ArrayList<>())
                        .add(new Scope(
                                trip, start, reinstated == null ? Instant.MAX : reinstated.at(), reinstated, null));
            }
        }
        if (byModel.isEmpty() && byGrant.isEmpty()) {
            return judged;
        }
        for (Usage u : replay.usages) {
            if (u.index() < from || u.index() >= to) {
                continue;
            }
            List<Scope> scopes = new ArrayList<>(byModel.getOrDefault(u.model(), List.of()));
            scopes.addAll(byGrant.getOrDefault(u.grantId(), List.of()));
            for (Scope scope : scopes) {
                if (!u.startedAt().isBefore(scope.from())
                        && u.startedAt().isBefore(scope.until())
                        && (scope.scoped() == null
                                || scopedCalls.match(u, scope.scoped(), tripName(scope.trip()))
                                        == ScopedCalls.Match.IN)) {
                    JsonNode leaf = scope.trip().leaf();
                    out.add(new Violation(
                            u.index(),
                            Rule.TRIPWIRE_SCOPE,
                            "the call started " + u.startedAt() + ", more than " + bound + " ms after tripwire "
                                    + leaf.path("ruleId").asText() + " v"
                                    + leaf.path("ruleVersion").asLong() + " ("
                                    + leaf.path("kind").asText()
                                    + ") tripped at " + scope.trip().at() + " on "
                                    + (scope.scoped() != null
                                            ? "model " + leaf.path("model").asText() + " from " + scope.scoped()
                                            : leaf.hasNonNull("switchId")
                                                    ? "model "
                                                            + leaf.path("model").asText()
                                                    : "grant "
                                                            + leaf.path("grantId")
                                                                    .asText())
                                    + (scope.end() == null ? ", never released" : ", released at " + scope.until()),
                            List.of(u.index(), scope.trip().index())));
                    break;
                }
            }
        }
        return judged;
    }

    private static String tripName(Version trip) {
        return "CALLS_FROM_SCOPE trip " + trip.leaf().path("tripId").asText() + " (leaf " + trip.index() + ", "
                + trip.leaf().path("scope") + " on model "
                + trip.leaf().path("model").asText() + ")";
    }

    private static boolean inRange(long index, long from, long to) {
        return index >= from && index < to;
    }

    /** The trip's kill switch released after the trip (null: not yet). */
    private Version released(String switchId, Instant after) {
        for (Version v : replay.switches.getOrDefault(switchId, List.of())) {
            if (v.type().equals("killswitch.released") && v.at().isAfter(after)) {
                return v;
            }
        }
        return null;
    }

    /** The first reinstatement of the grant after the trip (null: none). */
    private Version reinstated(String grantId, Instant after) {
        Timeline grant = replay.grants.get(grantId);
        if (grant == null) {
            return null;
        }
        for (Version v : grant.byIndex()) {
            if (v.type().equals("grant.changed") && v.at().isAfter(after)) {
                return v;
            }
        }
        return null;
    }
}
