package org.vettedaccess.policy.tier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.vettedaccess.policy.changerequest.ChangeOutcome;
import org.vettedaccess.policy.changerequest.ChangeRequestRecord;
import org.vettedaccess.support.caller.Roles;

/**
 * Tiers: everyone signed in reads them; policy admins change them. A change that only narrows access answers
 * 200 with the new version; any other answers 202 with the change request a second admin must confirm.
 */
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
    @APIResponse(
            responseCode = "200",
            description = "applied: the change only narrows access",
            content = @Content(schema = @Schema(implementation = TierRecord.class)))
    @APIResponse(
            responseCode = "202",
            description = "pending: it loosens access, so a second policy admin must confirm it",
            content = @Content(schema = @Schema(implementation = ChangeRequestRecord.class)))
    public Response change(@PathParam("tier") int tier, TierRecord request) {
        ChangeOutcome<TierRecord> outcome = tiers.change(tier, request, token.getSubject());
        return outcome.pending() != null
                ? Response.status(Response.Status.ACCEPTED)
                        .entity(outcome.pending())
                        .build()
                : Response.ok(outcome.applied()).build();
    }
}
