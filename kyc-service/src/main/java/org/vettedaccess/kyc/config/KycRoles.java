package org.vettedaccess.kyc.config;

/** Client roles on kyc-service that other services' accounts hold (the realm's roles are in Roles). */
public final class KycRoles {

    /** access-policy and the gateway read a subject's assurance level. */
    public static final String ASSURANCE_READ = "assurance-read";

    private KycRoles() {}
}
