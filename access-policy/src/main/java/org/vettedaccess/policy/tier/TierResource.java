package org.vettedaccess.policy.tier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.support.caller.Roles;

/** Tiers: everyone signed in reads them; policy admins change them. */
@Path("/api/v1/tiers")
@Produces(MediaType.APPLICATION_JSON)
public class TierResource {

    private final TierService tiers;
    private final JsonWebToken token;

    public TierResource(TierService tiers, JsonWebToken token) {
        this.tiers = tiers;
        this.token = token;
    }

    @GET
    @RolesAllowed({Roles.RESEARCHER, Roles.KYC_REVIEWER, Roles.POLICY_ADMIN, Roles.REGULATOR})
    public List<TierRecord> current() {
        return tiers.current();
    }

    @PUT
    @Path("/{tier}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public TierRecord change(@PathParam("tier") int tier, TierRecord request) {
        return tiers.change(tier, request, token.getSubject());
    }
}
