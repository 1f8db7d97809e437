package org.vettedaccess.support.caller;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.support.config.ServiceIdentityConfig;

/**
 * Tells a signed-in person how this service sees them. Each service verifies tokens itself, so this is the
 * place to check a token flow end to end, and the portal uses it to show who is signed in.
 */
@Path("/api/v1/caller")
public class CallerResource {

    private final SecurityIdentity identity;
    private final JsonWebToken token;
    private final ServiceIdentityConfig service;

    public CallerResource(SecurityIdentity identity, JsonWebToken token, ServiceIdentityConfig service) {
        this.identity = identity;
        this.token = token;
        this.service = service;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RESEARCHER, Roles.KYC_REVIEWER, Roles.POLICY_ADMIN, Roles.REGULATOR})
    public Caller caller() {
        Set<String> audience = token.getAudience() == null ? Set.of() : new TreeSet<>(token.getAudience());
        return new Caller(
                service.name(),
                token.getSubject(),
                token.getClaim("preferred_username"),
                new TreeSet<>(identity.getRoles()),
                audience,
                token.getClaim("azp"));
    }
}
