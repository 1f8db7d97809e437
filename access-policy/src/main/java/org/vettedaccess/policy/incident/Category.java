package org.vettedaccess.policy.incident;

/** What a report is about. */
public enum Category {
    DANGEROUS_CAPABILITY,
    /** A safeguard bypass or jailbreak. */
    SAFEGUARD_BYPASS,
    PRIVACY_LEAK,
    /** A security flaw in the service itself (the gateway, a key, the portal). */
    SERVICE_SECURITY,
    HARMFUL_BIAS,
    OTHER
}
