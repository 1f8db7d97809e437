package org.vettedaccess.support.caller;

/** The realm roles of the {@code vetted-access} Keycloak realm (see docs/architecture.md). */
public final class Roles {

    public static final String RESEARCHER = "researcher";
    public static final String KYC_REVIEWER = "kyc-reviewer";
    public static final String POLICY_ADMIN = "policy-admin";
    public static final String REGULATOR = "regulator";
    /** Triages researchers' flaw and incident reports (issue 21; ADR 0040). */
    public static final String INCIDENT_TRIAGER = "incident-triager";
    /**
     * Log monitors and witnesses: read the ledger's checkpoints, hash tiles, proofs and cosignatures, never its
     * entries (ADR 0012).
     */
    public static final String MONITOR = "monitor";

    private Roles() {}
}
