package org.vettedaccess.ledger.entry;

import static org.vettedaccess.ledger.entry.EntryType.fields;
import static org.vettedaccess.ledger.entry.FieldKind.COUNT;
import static org.vettedaccess.ledger.entry.FieldKind.HASH;
import static org.vettedaccess.ledger.entry.FieldKind.INDICES;
import static org.vettedaccess.ledger.entry.FieldKind.INSTANT;
import static org.vettedaccess.ledger.entry.FieldKind.SUBJECT;
import static org.vettedaccess.ledger.entry.FieldKind.TEXT;

import java.util.Map;
import java.util.Set;
import org.vettedaccess.ledger.entry.EntryType.FieldRule;

/** The incident types' fields (issue 21; docs/architecture.md). */
final class IncidentShapes {

    private IncidentShapes() {}

    static final Set<String> SEVERITIES = Set.of("CRITICAL", "HIGH", "MEDIUM", "LOW");
    static final Map<String, FieldKind> REPORTED_FIELDS = fields(
            "reportId", TEXT,
            "model", TEXT,
            "category", TEXT,
            "severity", TEXT,
            "textCommitment", HASH,
            "receiptLeaves", INDICES,
            "reporter", SUBJECT,
            "acknowledgeBy", INSTANT,
            "mitigateBy", INSTANT,
            "embargoUntil", INSTANT);
    static final Map<String, FieldRule> REPORTED_RULES = Map.of(
            "category",
            FieldRule.oneOf(
                    "DANGEROUS_CAPABILITY",
                    "SAFEGUARD_BYPASS",
                    "PRIVACY_LEAK",
                    "SERVICE_SECURITY",
                    "HARMFUL_BIAS",
                    "OTHER"),
            "severity",
            FieldRule.oneOf(SEVERITIES.toArray(String[]::new)));
    static final Map<String, FieldKind> STATUS_FIELDS = fields(
            "reportId", TEXT,
            "reportLeaf", COUNT,
            "model", TEXT,
            "severity", TEXT,
            "actor", SUBJECT,
            "reason", TEXT,
            "mitigation", TEXT,
            "change", TEXT,
            "switchId", TEXT);
    static final Set<String> STATUS_OPTIONAL = Set.of("reason", "mitigation", "change", "switchId");
    static final Map<String, FieldRule> STATUS_RULES = Map.of(
            "severity",
            FieldRule.oneOf(SEVERITIES.toArray(String[]::new)),
            "mitigation",
            FieldRule.oneOf("KILL_SWITCH", "TIER_CHANGE", "MODEL_CHANGE", "OTHER"));
}
