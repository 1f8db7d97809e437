package org.vettedaccess.policy.config;

/** Client roles that calling service accounts hold on access-policy (docs/architecture.md). */
public final class PolicyRoles {

    /** The gateway: decisions and the change feed. */
    public static final String DECIDE = "decide";
    /** kyc-service: reporting KYC outcomes. */
    public static final String KYC_SYNC = "kyc-sync";
    /** The gateway: filing a researcher's incident report, with receipts it resolved for that researcher. */
    public static final String FILE_INCIDENTS = "file-incidents";

    /** kyc-service: reading the catalog, to check the models an application requests (ADR 0042). */
    public static final String CATALOG_READ = "catalog-read";

    /** The gateway: reading the active tripwire rules and reporting their trips. */
    public static final String TRIPWIRE = "tripwire";

    private PolicyRoles() {}
}
