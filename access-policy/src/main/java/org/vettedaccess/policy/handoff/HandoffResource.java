package org.vettedaccess.policy.handoff;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.support.caller.Roles;

/**
 * {@code /api/v1/grant-handoffs}: approvals awaiting an admin's grant. Policy admins read the queue and issue or
 * refuse; a researcher reads their own hand-offs (with a refusal's reason) and no one else's.
 */
@Path("/api/v1/grant-handoffs")
@Produces(MediaType.APPLICATION_JSON)
public class HandoffResource {

    private final HandoffService handoffs;
    private final JsonWebToken token;

    public HandoffResource(HandoffService handoffs, JsonWebToken token) {
        this.handoffs = handoffs;
        this.token = token;
    }

    @GET
    @RolesAllowed(Roles.POLICY_ADMIN)
    public List<HandoffRecord> awaiting() {
        return handoffs.awaiting();
    }

    @GET
    @Path("/mine")
    @RolesAllowed(Roles.RESEARCHER)
    public List<HandoffRecord> mine() {
        return handoffs.ofSubject(token.getSubject());
    }

    @POST
    @Path("/{id}/issue")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public HandoffRecord issue(@PathParam("id") UUID id, HandoffDecision decision) {
        return handoffs.issue(id, decision, token.getSubject());
    }

    @POST
    @Path("/{id}/refuse")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public HandoffRecord refuse(@PathParam("id") UUID id, HandoffDecision decision) {
        return handoffs.refuse(id, decision, token.getSubject());
    }
}
