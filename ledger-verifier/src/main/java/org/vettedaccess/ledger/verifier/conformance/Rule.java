package org.vettedaccess.ledger.verifier.conformance;

/**
 * The rules conformance checks, each with a stable id (reports, tests and docs/regulators.md name them) and the
 * one-line statement a report prints. Where a rule depends on a propagation bound {@code B}, a call passes if the
 * policy in force at its start, or at {@code B} before its start, allowed it: restrictive changes may take up to
 * {@code B} to reach every gateway replica (invariant 4).
 */
public enum Rule {
    USAGE_CHAIN(
            "VA-USAGE-CHAIN",
            "a usage names an earlier leaf of its own grant and subject, and startedAt <= finishedAt <= loggedAt + B"),
    GRANT_ACTIVE(
            "VA-GRANT-ACTIVE",
            "the call's grant, of the same subject, was issued and valid at the call's start, and not suspended,"
                    + " revoked or expired more than B earlier"),
    GRANT_MODEL("VA-GRANT-MODEL", "the called model was one of the grant's models"),
    MODEL_ACTIVE(
            "VA-MODEL-ACTIVE", "the called model was in the catalog and ACTIVE (not suspended more than B earlier)"),
    TIER_ENDPOINT("VA-TIER-ENDPOINT", "the endpoint was allowed by the version of the grant's tier in force"),
    KYC_CURRENT(
            "VA-KYC-CURRENT",
            "the subject's KYC approval was in force at the call: not expired, suspended or withdrawn more than B"
                    + " earlier"),
    KILLSWITCH(
            "VA-KILLSWITCH",
            "no kill switch covering the call (global, the model, the model's tier; the caller's institution or"
                    + " country, from its scope tags) had been engaged for more than B"),
    KEY_VALID(
            "VA-KEY-VALID",
            "a call made with an API key used a key issued to the same subject (and grant, if bound), not expired"
                    + " and not revoked more than B earlier"),
    QUOTA_RATE(
            "VA-QUOTA-RATE",
            "requests, input and output tokens per minute stayed within the tier's token buckets, allowing one"
                    + " reservation of slack"),
    QUOTA_BUDGET(
            "VA-QUOTA-BUDGET",
            "the grant's tokens stayed within its tier's token budget, allowing one reservation of slack"),
    KYC_APPROVAL(
            "VA-KYC-APPROVAL",
            "each grant rests on an APPROVED KYC decision of its subject, for its tier or higher, at or above the"
                    + " tier's minimum assurance"),
    KYC_REVIEWERS(
            "VA-KYC-REVIEWERS",
            "each grant's KYC decision has at least as many distinct reviewers as its tier requires (two for tier 3)"),
    KYC_SANCTIONS(
            "VA-KYC-SANCTIONS",
            "each tier-3 grant's KYC decision carries a screening summary with every candidate cleared, no true"
                    + " match, and strong matches cleared by two reviewers"),
    GRANT_TIER("VA-GRANT-TIER", "each grant's tier was at least every granted model's required tier when issued"),
    TWO_ADMINS(
            "VA-TWO-ADMINS",
            "a catalog or tier change that loosened access (a new model included) carries two distinct actors"),
    SEED(
            "VA-SEED",
            "a seeded catalog or tier leaf (recorded at first start with one actor, for a version made before it could"
                    + " be a leaf) comes before the log's first ordinary catalog or tier leaf"),
    KILLSWITCH_RELEASE(
            "VA-KILLSWITCH-RELEASE", "a kill-switch release follows a release request and carries two distinct actors"),
    INCIDENT_ACK(
            "VA-INCIDENT-ACK",
            "each incident report (a CRITICAL one within hours) was first answered by the acknowledgement deadline"
                    + " its incident.reported leaf names, by the ledger's clock"),
    TRIPWIRE_SCOPE(
            "VA-TRIPWIRE-SCOPE",
            "no call ran in a tripped scope (the model of a kill-switch trip, the model from an institution or country"
                    + " of a scope trip, the grant of a suspension) more than B"
                    + " after the trip, until the trip's kill switch was released or the grant reinstated");

    private final String id;
    private final String statement;

    Rule(String id, String statement) {
        this.id = id;
        this.statement = statement;
    }

    public String id() {
        return id;
    }

    public String statement() {
        return statement;
    }
}
