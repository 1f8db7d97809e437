package org.vettedaccess.ledger.verifier.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a conformance run found over the index range {@code [from, to)}: how many leaves of each kind it checked,
 * the violations per rule, and what it could not check from the leaves.
 *
 * @param from the first index checked
 * @param to the end of the range (exclusive); leaves before {@code from} were replayed but not checked
 * @param boundMillis the propagation bound
 * @param usages usage leaves checked
 * @param grants grant leaves checked
 * @param changes catalog, tier and kill-switch release leaves checked
 * @param reports incident reports checked (their first answer against the acknowledgement deadline)
 * @param trips tripwire trips in the range (every trip before the range also scopes the calls in it)
 * @param violations every violation, in index order
 * @param uncheckable what the leaves could not prove, one sentence each
 */
public record ConformanceReport(
        long from,
        long to,
        long boundMillis,
        long usages,
        long grants,
        long changes,
        long reports,
        long trips,
        List<Violation> violations,
        List<String> uncheckable) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ConformanceReport {
        violations = List.copyOf(violations);
        uncheckable = List.copyOf(uncheckable);
    }

    public boolean passed() {
        return violations.isEmpty();
    }

    /** Violations per rule, every rule present (zero included), in the rules' order. */
    public Map<Rule, Long> counts() {
        Map<Rule, Long> counts = new EnumMap<>(Rule.class);
        for (Rule rule : Rule.values()) {
            counts.put(rule, 0L);
        }
        violations.forEach(v -> counts.merge(v.rule(), 1L, Long::sum));
        return counts;
    }

    /** The human summary: the range, one line per rule with its count and statement, then what was not checkable. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        text.append("conformance of leaves ")
                .append(from)
                .append("..")
                .append(to - 1)
                .append(" (propagation bound ")
                .append(boundMillis)
                .append(" ms): ")
                .append(usages)
                .append(" usage, ")
                .append(grants)
                .append(" grant, ")
                .append(changes)
                .append(" change, ")
                .append(reports)
                .append(" incident report, ")
                .append(trips)
                .append(" trip leaves checked\n");
        counts().forEach((rule, count) -> text.append(String.format(
                "%-4s %-22s %6d  %s%n", count == 0 ? "PASS" : "FAIL", rule.id(), count, rule.statement())));
        for (String note : uncheckable) {
            text.append("NOT CHECKED ").append(note).append('\n');
        }
        text.append(passed() ? "CONFORMS" : "DOES NOT CONFORM: " + violations.size() + " violation(s)");
        return text.toString();
    }

    /** The report as JSON: range, counts per rule (with statements) and each violation with its proving leaves. */
    public ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("from", from);
        json.put("to", to);
        json.put("boundMillis", boundMillis);
        json.put("usages", usages);
        json.put("grants", grants);
        json.put("changes", changes);
        json.put("reports", reports);
        json.put("trips", trips);
        json.put("conforms", passed());
        ArrayNode rules = json.putArray("rules");
        counts().forEach((rule, count) -> rules.addObject()
                .put("id", rule.id())
                .put("statement", rule.statement())
                .put("violations", count));
        ArrayNode list = json.putArray("violations");
        for (Violation violation : violations) {
            ObjectNode v = list.addObject();
            v.put("index", violation.index());
            v.put("rule", violation.rule().id());
            v.put("detail", violation.detail());
            ArrayNode leaves = v.putArray("leaves");
            violation.leaves().forEach(leaves::add);
        }
        ArrayNode notes = json.putArray("uncheckable");
        uncheckable.forEach(notes::add);
        return json;
    }
}
