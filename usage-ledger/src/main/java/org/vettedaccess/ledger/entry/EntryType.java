package org.vettedaccess.ledger.entry;

import static org.vettedaccess.ledger.entry.FieldKind.COUNT;
import static org.vettedaccess.ledger.entry.FieldKind.COUNTS;
import static org.vettedaccess.ledger.entry.FieldKind.HASH;
import static org.vettedaccess.ledger.entry.FieldKind.INSTANT;
import static org.vettedaccess.ledger.entry.FieldKind.SCOPE;
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
                    TEXT),
            Set.of("keyId")),
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
                    TEXTS),
            Set.of("screening", "listVersions")),
    GRANT_ISSUED("grant.issued", grantFields(), Set.of()),
    GRANT_CHANGED("grant.changed", grantFields(), Set.of()),
    GRANT_SUSPENDED("grant.suspended", grantFields(), Set.of()),
    GRANT_REVOKED("grant.revoked", grantFields(), Set.of()),
    GRANT_EXPIRED("grant.expired", grantFields(), Set.of()),
    KEY_ISSUED("key.issued", keyFields(), Set.of("grantId")),
    KEY_REVOKED("key.revoked", keyFields(), Set.of("grantId")),
    KILLSWITCH_ENGAGED("killswitch.engaged", killSwitchFields(), Set.of()),
    KILLSWITCH_RELEASED("killswitch.released", killSwitchFields(), Set.of()),
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
            Set.of());

    private final String wireName;
    private final Map<String, FieldKind> fields;
    private final Set<String> optional;

    EntryType(String wireName, Map<String, FieldKind> fields, Set<String> optional) {
        this.wireName = wireName;
        this.fields = fields;
        this.optional = optional;
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

    public boolean isGrant() {
        return wireName.startsWith("grant.");
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
                TEXT);
    }

    private static Map<String, FieldKind> keyFields() {
        return fields("keyId", TEXT, "subject", SUBJECT, "grantId", TEXT, "expiresAt", INSTANT, "actor", SUBJECT);
    }

    private static Map<String, FieldKind> killSwitchFields() {
        return fields("switchId", TEXT, "scope", SCOPE, "reason", TEXT, "actors", SUBJECTS);
    }

    private static Map<String, FieldKind> fields(Object... namesAndKinds) {
        Map<String, FieldKind> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndKinds.length; i += 2) {
            fields.put((String) namesAndKinds[i], (FieldKind) namesAndKinds[i + 1]);
        }
        return fields;
    }
}
