package org.vettedaccess.kyc.orcid;

import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Whether an application's ORCID iD was proven by an ORCID sign-in (ADR 0048). The proof is the {@code orcid}
 * claim of the caller's token: Keycloak sets the user attribute behind it from the {@code sub} of the ORCID
 * account the researcher linked, and nobody else can write it. Nothing in a request body counts: a typed iD, or
 * one sent with any "verified" field, stays UNVERIFIED unless it equals the claim.
 */
public final class OrcidProof {

    /** The token claim carrying the iD of the caller's linked ORCID account. */
    public static final String CLAIM = "orcid";

    public static final String VERIFIED = "VERIFIED";
    public static final String UNVERIFIED = "UNVERIFIED";

    private OrcidProof() {}

    /** The iD the caller's ORCID sign-in proved, if their account has one linked. */
    public static Optional<String> provenBy(JsonWebToken token) {
        Object claim = token == null ? null : token.getClaim(CLAIM);
        return claim instanceof String iD && !iD.isBlank() ? Optional.of(iD.strip()) : Optional.empty();
    }

    /** Whether {@code orcid} is the proven iD. */
    public static boolean verified(String orcid, Optional<String> proven) {
        return orcid != null && proven.filter(orcid::equals).isPresent();
    }

    /** VERIFIED, UNVERIFIED, or null when the application has no iD. */
    public static String status(String orcid, boolean verified) {
        if (orcid == null) {
            return null;
        }
        return verified ? VERIFIED : UNVERIFIED;
    }
}
