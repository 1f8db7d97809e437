package org.vettedaccess.gateway.portal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the regulator's ledger pages show: entries (the ledger's entry view), trips and the conformance report. */
public final class LedgerView {

    private LedgerView() {}

    /**
     * An entry as the ledger answers it. Its parsed leaf ({@code entry}) differs per type, so it stays a map and
     * the page reads it through the methods below or as a list of fields.
     */
    public record Entry(
            long index,
            String type,
            Instant loggedAt,
            String leafHash,
            String leaf,
            Map<String, Object> entry,
            String disclosedName) {

        public Entry {
            entry = entry == null ? Map.of() : entry;
        }

        /** The entry's (pseudonymous) subject, or empty. */
        public String subject() {
            return text("subject");
        }

        public String model() {
            return text("model");
        }

        public String inputTokens() {
            return text("inputTokens");
        }

        public String outputTokens() {
            return text("outputTokens");
        }

        /** The parsed leaf's fields in the leaf's order. */
        public List<Field> fields() {
            return Field.of(entry);
        }

        String text(String field) {
            Object value = entry.get(field);
            return value == null ? "" : String.valueOf(value);
        }
    }

    /** One field of a parsed leaf. */
    public record Field(String name, String value) {

        static List<Field> of(Object map) {
            List<Field> fields = new ArrayList<>();
            if (map instanceof Map<?, ?> values) {
                values.forEach((name, value) -> fields.add(new Field(String.valueOf(name), String.valueOf(value))));
            }
            return fields;
        }
    }

    /** A page of entries and the index to read the next page after (null on the last). */
    public record EntryPage(List<Entry> entries, Long next) {

        public EntryPage {
            entries = entries == null ? List.of() : entries;
        }
    }

    /** The search form's fields as typed (blank where not given). */
    public record EntryQuery(String type, String model, String subject, String from, String to) {}

    /** A {@code tripwire.tripped} leaf as the trips page shows it. */
    public record Trip(
            long index,
            Instant loggedAt,
            String model,
            String kind,
            String ruleVersion,
            List<Field> figures,
            String action,
            String switchId,
            String grantId,
            String subject,
            String ruleLeaf) {

        static Trip of(Entry e) {
            return new Trip(
                    e.index(),
                    e.loggedAt(),
                    e.text("model"),
                    e.text("kind"),
                    e.text("ruleVersion"),
                    Field.of(e.entry().get("figures")),
                    e.text("action"),
                    e.text("switchId"),
                    e.text("grantId"),
                    e.text("subject"),
                    e.text("ruleLeaf"));
        }
    }

    /** The conformance form's fields as typed. */
    public record ConformanceQuery(String from, String to, String since, String until) {}

    /** The ledger's conformance report over a range of leaves; {@code to} is null when nothing was checked. */
    public record ConformanceReport(
            Long from,
            Long to,
            Long treeSize,
            Long boundMillis,
            long usages,
            long grants,
            long changes,
            boolean conforms,
            List<RuleCount> rules,
            List<Violation> violations,
            List<String> uncheckable) {

        static final ConformanceReport NONE =
                new ConformanceReport(null, null, null, null, 0, 0, 0, false, List.of(), List.of(), List.of());

        public ConformanceReport {
            rules = rules == null ? List.of() : rules;
            violations = violations == null ? List.of() : violations;
            uncheckable = uncheckable == null ? List.of() : uncheckable;
        }

        /** Whether the report covers a range (false on the empty report of a refused query). */
        public boolean checked() {
            return to != null;
        }
    }

    /** A rule with its statement and how many violations it found. */
    public record RuleCount(String id, String statement, long violations) {}

    /** A violation at a leaf, with the leaves that prove it. */
    public record Violation(long index, String rule, String detail, List<Long> leaves) {

        public Violation {
            leaves = leaves == null ? List.of() : leaves;
        }
    }
}
