package org.vettedaccess.ledger.entry;

import static org.vettedaccess.ledger.entry.EntryType.fields;
import static org.vettedaccess.ledger.entry.FieldKind.COUNT;
import static org.vettedaccess.ledger.entry.FieldKind.COUNTS;
import static org.vettedaccess.ledger.entry.FieldKind.FLAG;
import static org.vettedaccess.ledger.entry.FieldKind.INSTANT;
import static org.vettedaccess.ledger.entry.FieldKind.SCOPE;
import static org.vettedaccess.ledger.entry.FieldKind.SUBJECT;
import static org.vettedaccess.ledger.entry.FieldKind.SUBJECTS;
import static org.vettedaccess.ledger.entry.FieldKind.TEXT;

import java.util.Map;
import org.vettedaccess.ledger.entry.EntryType.FieldRule;

/** The tripwire types' fields (issue 21; docs/architecture.md). */
final class TripwireShapes {

    private TripwireShapes() {}

    /** A rule's version: what the gateways check and what a trip engages. */
    static final Map<String, FieldKind> CHANGED_FIELDS = fields(
            "ruleId", TEXT, "version", COUNT, "kind", TEXT, "model", TEXT, "params", COUNTS, "scope", SCOPE, "action",
            TEXT, "active", FLAG, "actors", SUBJECTS);

    /** A trip: the rule version, the window's figures and the action it engaged. */
    static final Map<String, FieldKind> TRIPPED_FIELDS = fields(
            "tripId",
            TEXT,
            "ruleId",
            TEXT,
            "ruleVersion",
            COUNT,
            "ruleLeaf",
            COUNT,
            "kind",
            TEXT,
            "model",
            TEXT,
            "figures",
            COUNTS,
            "scope",
            SCOPE,
            "failedSwitchId",
            TEXT,
            "action",
            TEXT,
            "switchId",
            TEXT,
            "grantId",
            TEXT,
            "subject",
            SUBJECT,
            "actors",
            SUBJECTS,
            "trippedAt",
            INSTANT);

    static final Map<String, FieldRule> RULES = Map.of(
            "kind",
                    FieldRule.oneOf(
                            "REFUSAL_RATE", "ERROR_RATE", "SUBJECT_TOKENS_PER_HOUR", "OFF_HOURS", "CALLS_FROM_SCOPE"),
            "action", FieldRule.oneOf("KILL_SWITCH", "SUSPEND_GRANT"),
            "actors", FieldRule.distinctItems(1, 1));
}
