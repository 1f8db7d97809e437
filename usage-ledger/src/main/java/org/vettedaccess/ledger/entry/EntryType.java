package org.vettedaccess.ledger.entry;

import static org.vettedaccess.ledger.entry.FieldKind.COUNT;
import static org.vettedaccess.ledger.entry.FieldKind.COUNTS;
import static org.vettedaccess.ledger.entry.FieldKind.DOCUMENTS;
import static org.vettedaccess.ledger.entry.FieldKind.FLAG;
import static org.vettedaccess.ledger.entry.FieldKind.HASH;
import static org.vettedaccess.ledger.entry.FieldKind.INSTANT;
import static org.vettedaccess.ledger.entry.FieldKind.NUMBER;
import static org.vettedaccess.ledger.entry.FieldKind.SCOPE;
import static org.vettedaccess.ledger.entry.FieldKind.SCOPE_TAGS;
import static org.vettedaccess.ledger.entry.FieldKind.SUBJECT;
import static org.vettedaccess.ledger.entry.FieldKind.SUBJECTS;
import static org.vettedaccess.ledger.entry.FieldKind.TEXT;
import static org.vettedaccess.ledger.entry.FieldKind.TEXTS;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The entry types the ledger accepts, each with the exact fields it may carry (docs/architecture.md). A field
 * not listed is refused, which is what keeps personal data (names, emails) out of the log.
 */
public enum EntryType {
    USAGE(
            "usage",
            fields(
                    "subject",
                    SUBJECT,
                    "model",
                    TEXT,
                    "endpoint",
                    TEXT,
                    "grantId",
                    TEXT,
                    "grantLeaf",
                    COUNT,
                    "decisionId",
                    TEXT,
                    "policyVersion",
                    TEXT,
                    "inputTokens",
                    COUNT,
                    "outputTokens",
                    COUNT,
                    "status",
                    TEXT,
                    "latencyMs",
                    COUNT,
                    "startedAt",
                    INSTANT,
                    "finishedAt",
                    INSTANT,
                    "promptCommitment",
                    HASH,
                    "keyId",
                    TEXT,
                    // Keyed commitments to the caller's institution and country (ADR 0046); absent on leaves
                    // before them and from a gateway without a scope-tag key.
                    "scopeTags",
                    SCOPE_TAGS),
            Set.of("keyId", "scopeTags")),
    KYC_DECISION(
            "kyc.decision",
            fields(
                    "applicationId",
                    TEXT,
                    "subject",
                    SUBJECT,
                    "outcome",
                    TEXT,
                    "tier",
                    COUNT,
                    "assuranceLevel",
                    COUNT,
                    "reviewers",
                    SUBJECTS,
                    "decidedAt",
                    INSTANT,
                    "reasonCode",
                    TEXT,
                    "screening",
                    COUNTS,
                    "listVersions",
                    TEXTS,
                    "validUntil",
                    INSTANT),
            Set.of("screening", "listVersions", "validUntil")),
    GRANT_ISSUED("grant.issued", grantFields(), Set.of("at")),
    GRANT_CHANGED("grant.changed", grantFields(), Set.of("at")),
    GRANT_SUSPENDED("grant.suspended", grantFields(), Set.of("at")),
    GRANT_REVOKED("grant.revoked", grantFields(), Set.of("at")),
    GRANT_EXPIRED("grant.expired", grantFields(), Set.of("at")),
    /**
     * A policy admin refused the grant a KYC approval waited for (ADR 0084): the KYC leaf it answers and a salted
     * commitment to the reason, never the reason (it is correspondence with the researcher).
     */
    HANDOFF_REFUSED(
            "handoff.refused",
            fields(
                    "handoffId",
                    TEXT,
                    "subject",
                    SUBJECT,
                    "kycLeaf",
                    COUNT,
                    "tier",
                    COUNT,
                    "models",
                    TEXTS,
                    "reasonCommitment",
                    HASH,
                    "actor",
                    SUBJECT,
                    "at",
                    INSTANT),
            Set.of()),
    KEY_ISSUED("key.issued", keyFields(), Set.of("grantId")),
    KEY_REVOKED("key.revoked", keyFields(), Set.of("grantId")),
    KILLSWITCH_ENGAGED("killswitch.engaged", killSwitchFields(), Set.of("at", "incidentId")),
    KILLSWITCH_RELEASED("killswitch.released", killSwitchFields(), Set.of("at", "incidentId")),
    /** A policy admin asked to release a kill switch; a second, different admin's release follows. */
    KILLSWITCH_RELEASE_REQUESTED("killswitch.release-requested", killSwitchFields(), Set.of("at", "incidentId")),
    MODEL_REGISTERED("model.registered", modelFields(), Shapes.MODEL_OPTIONAL, Shapes.MODEL_RULES),
    MODEL_CHANGED("model.changed", modelFields(), Shapes.MODEL_OPTIONAL, Shapes.MODEL_RULES),
    /** A permissive catalog change waiting for a second admin; nothing changed yet. */
    MODEL_CHANGE_REQUESTED("model.change-requested", modelFields(), Shapes.MODEL_OPTIONAL, Shapes.MODEL_RULES),
    TIER_CHANGED("tier.changed", tierFields(), Shapes.TIER_OPTIONAL, Shapes.TIER_RULES),
    /** A permissive tier change waiting for a second admin; nothing changed yet. */
    TIER_CHANGE_REQUESTED("tier.change-requested", tierFields(), Shapes.TIER_OPTIONAL, Shapes.TIER_RULES),
    /** A researcher's flaw or incident report: a salted commitment to its text, never the text (issue 21). */
    INCIDENT_REPORTED(
            "incident.reported",
            IncidentShapes.REPORTED_FIELDS,
            Set.of("receiptLeaves"),
            IncidentShapes.REPORTED_RULES),
    /** The lab's answers to a report, each a leaf that names the report's leaf. */
    INCIDENT_ACKNOWLEDGED(
            "incident.acknowledged",
            IncidentShapes.STATUS_FIELDS,
            IncidentShapes.STATUS_OPTIONAL,
            IncidentShapes.STATUS_RULES),
    INCIDENT_TRIAGED(
            "incident.triaged",
            IncidentShapes.STATUS_FIELDS,
            IncidentShapes.STATUS_OPTIONAL,
            IncidentShapes.STATUS_RULES),
    INCIDENT_MITIGATED(
            "incident.mitigated",
            IncidentShapes.STATUS_FIELDS,
            IncidentShapes.STATUS_OPTIONAL,
            IncidentShapes.STATUS_RULES),
    INCIDENT_DISCLOSED(
            "incident.disclosed",
            IncidentShapes.STATUS_FIELDS,
            IncidentShapes.STATUS_OPTIONAL,
            IncidentShapes.STATUS_RULES),
    INCIDENT_REJECTED(
            "incident.rejected",
            IncidentShapes.STATUS_FIELDS,
            IncidentShapes.STATUS_OPTIONAL,
            IncidentShapes.STATUS_RULES),
    /** A tripwire rule's version (issue 21): what the gateways check and what a trip engages. */
    TRIPWIRE_CHANGED("tripwire.changed", TripwireShapes.CHANGED_FIELDS, Set.of("scope"), TripwireShapes.RULES),
    /** A tripwire tripped: the rule version, the window's figures and the action it engaged. */
    TRIPWIRE_TRIPPED(
            "tripwire.tripped",
            TripwireShapes.TRIPPED_FIELDS,
            Set.of("switchId", "grantId", "subject", "scope", "failedSwitchId"),
            TripwireShapes.RULES),
    DISCLOSURE(
            "disclosure",
            fields(
                    "pseudonym",
                    TEXT,
                    "requestedBy",
                    SUBJECT,
                    "legalBasis",
                    TEXT,
                    "reason",
                    TEXT,
                    "disclosedTo",
                    TEXT,
                    "disclosedAt",
                    INSTANT),
            Set.of()),
    /** A regulator was shown the disclosed names of {@code pseudonyms}; written by the ledger on every such read. */
    DISCLOSURE_READ(
            "disclosure.read",
            fields("reader", SUBJECT, "pseudonyms", TEXTS, "readAt", INSTANT, "via", TEXT),
            Set.of());

    /** Constants the types above use; in a holder because an enum's own statics are set after its constants. */
    private static final class Shapes {
        // seeded: the leaf records, at first start, a version made before it could be a leaf (conformance's VA-SEED).
        // parameterFamily and responsesApi: absent from versions logged before issue 22 (CHAT, TRANSLATED).
        static final Set<String> MODEL_OPTIONAL =
                Set.of("disclosures", "changeId", "seeded", "parameterFamily", "responsesApi");
        static final Map<String, FieldRule> MODEL_RULES = Map.of(
                "riskClass", FieldRule.oneOf("STANDARD", "ELEVATED", "SYSTEMIC"),
                "status", FieldRule.oneOf("ACTIVE", "SUSPENDED"),
                "parameterFamily", FieldRule.oneOf("CHAT", "REASONING"),
                "responsesApi", FieldRule.oneOf("NATIVE", "TRANSLATED"),
                // One admin for a direct change or a request; the requester, then a different confirmer.
                "actors", FieldRule.distinctItems(1, 2));
        static final Set<String> TIER_OPTIONAL = Set.of("rescreenDays", "changeId", "seeded");
        static final Map<String, FieldRule> TIER_RULES = Map.of(
                // tokenBudget absent: no budget.
                "limits", FieldRule.names(Set.of("rpm", "inputTpm", "outputTpm", "maxTokens"), Set.of("tokenBudget")),
                "actors", FieldRule.distinctItems(1, 2));
    }

    /**
     * What a field must hold beyond its kind.
     *
     * @param oneOf the texts a TEXT field may hold (empty: any)
     * @param requiredNames the names a COUNTS field must have
     * @param optionalNames the other names a COUNTS field may have (with requiredNames empty: any names)
     * @param minItems the fewest items of a list
     * @param maxItems the most items of a list (0: the kind's limit)
     * @param distinct whether a list's items must differ (a confirmer is not the requester)
     */
    record FieldRule(
            Set<String> oneOf,
            Set<String> requiredNames,
            Set<String> optionalNames,
            int minItems,
            int maxItems,
            boolean distinct) {

        static final FieldRule NONE = new FieldRule(Set.of(), Set.of(), Set.of(), 0, 0, false);

        static FieldRule oneOf(String... values) {
            return new FieldRule(Set.of(values), Set.of(), Set.of(), 0, 0, false);
        }

        static FieldRule names(Set<String> required, Set<String> optional) {
            return new FieldRule(Set.of(), required, optional, 0, 0, false);
        }

        static FieldRule distinctItems(int min, int max) {
            return new FieldRule(Set.of(), Set.of(), Set.of(), min, max, true);
        }
    }

    private final String wireName;
    private final Map<String, FieldKind> fields;
    private final Set<String> optional;
    private final Map<String, FieldRule> rules;

    EntryType(String wireName, Map<String, FieldKind> fields, Set<String> optional) {
        this(wireName, fields, optional, Map.of());
    }

    EntryType(String wireName, Map<String, FieldKind> fields, Set<String> optional, Map<String, FieldRule> rules) {
        this.wireName = wireName;
        this.fields = fields;
        this.optional = optional;
        this.rules = rules;
    }

    public String wireName() {
        return wireName;
    }

    Map<String, FieldKind> fields() {
        return fields;
    }

    boolean isOptional(String field) {
        return optional.contains(field);
    }

    FieldRule rule(String field) {
        return rules.getOrDefault(field, FieldRule.NONE);
    }

    /** Written only by the ledger itself (its disclosure endpoint and regulators' reads), never by an appender. */
    public boolean ledgerOnly() {
        return this == DISCLOSURE || this == DISCLOSURE_READ;
    }

    public static Optional<EntryType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    private static Map<String, FieldKind> grantFields() {
        return fields(
                "grantId",
                TEXT,
                "subject",
                SUBJECT,
                "models",
                TEXTS,
                "purposeCommitment",
                HASH,
                "tier",
                COUNT,
                "validFrom",
                INSTANT,
                "validUntil",
                INSTANT,
                "quota",
                COUNTS,
                "kycLeaf",
                COUNT,
                "actor",
                SUBJECT,
                "reason",
                TEXT,
                // optional, on restrictive changes: when it took effect (its leaf may reach the ledger later)
                "at",
                INSTANT);
    }

    private static Map<String, FieldKind> keyFields() {
        return fields("keyId", TEXT, "subject", SUBJECT, "grantId", TEXT, "expiresAt", INSTANT, "actor", SUBJECT);
    }

    private static Map<String, FieldKind> killSwitchFields() {
        // at (optional): when an engage took effect; its leaf may reach the ledger later, through the outbox.
        // incidentId (optional): the report a one-click kill switch answers (issue 21).
        return fields(
                "switchId",
                TEXT,
                "scope",
                SCOPE,
                "reason",
                TEXT,
                "actors",
                SUBJECTS,
                "at",
                INSTANT,
                "incidentId",
                TEXT);
    }

    /** A catalog entry: everything a decision about the model depends on, and who changed it. */
    private static Map<String, FieldKind> modelFields() {
        return fields(
                "modelId",
                TEXT,
                "upstreamRoute",
                TEXT,
                "trainingFlop",
                NUMBER,
                "evalFlags",
                TEXTS,
                "riskClass",
                TEXT,
                "requiredTier",
                COUNT,
                "status",
                TEXT,
                "version",
                COUNT,
                "disclosures",
                DOCUMENTS,
                "actors",
                SUBJECTS,
                "changeId",
                TEXT,
                "seeded",
                FLAG,
                "parameterFamily",
                TEXT,
                "responsesApi",
                TEXT);
    }

    /** A whole tier version: requirements, limits, endpoints, key lifetimes, auto-grant, and who changed it. */
    private static Map<String, FieldKind> tierFields() {
        return fields(
                "tier",
                COUNT,
                "version",
                COUNT,
                "minAssurance",
                COUNT,
                "reviewers",
                COUNT,
                "purposeRequired",
                FLAG,
                "rescreenDays",
                COUNT,
                "limits",
                COUNTS,
                "endpoints",
                TEXTS,
                "maxGrantDays",
                COUNT,
                "keyDefaultDays",
                COUNT,
                "keyMaxDays",
                COUNT,
                "autoGrant",
                FLAG,
                "actors",
                SUBJECTS,
                "changeId",
                TEXT,
                "seeded",
                FLAG);
    }

    static Map<String, FieldKind> fields(Object... namesAndKinds) {
        Map<String, FieldKind> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndKinds.length; i += 2) {
            fields.put((String) namesAndKinds[i], (FieldKind) namesAndKinds[i + 1]);
        }
        return fields;
    }
}
