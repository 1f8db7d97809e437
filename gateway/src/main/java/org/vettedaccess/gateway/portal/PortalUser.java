package org.vettedaccess.gateway.portal;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.support.caller.Roles;

/** Who is signed in to the portal, and what their roles let the navigation show. */
public record PortalUser(
        String subject,
        String name,
        boolean researcher,
        boolean reviewer,
        boolean admin,
        boolean regulator,
        boolean triager) {

    static PortalUser of(SecurityIdentity identity, JsonWebToken accessToken) {
        String name = accessToken.getClaim("preferred_username");
        return new PortalUser(
                accessToken.getSubject(),
                name == null ? accessToken.getSubject() : name,
                identity.hasRole(Roles.RESEARCHER),
                identity.hasRole(Roles.KYC_REVIEWER),
                identity.hasRole(Roles.POLICY_ADMIN),
                identity.hasRole(Roles.REGULATOR),
                identity.hasRole(Roles.INCIDENT_TRIAGER));
    }
}
