package org.vettedaccess.policy.grant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.support.caller.Roles;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** Grants: policy admins issue and change them; a researcher sees their own and nothing else. */
@Path("/api/v1/grants")
@Produces(MediaType.APPLICATION_JSON)
public class GrantResource {

    private final GrantService grants;
    private final JsonWebToken token;

    public GrantResource(GrantService grants, JsonWebToken token) {
        this.grants = grants;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public GrantRecord issue(GrantRequest request) {
        return grants.issue(request, token.getSubject());
    }

    @GET
    @RolesAllowed(Roles.POLICY_ADMIN)
    public List<GrantRecord> ofSubject(@QueryParam("subject") String subject) {
        if (subject == null || subject.isBlank()) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "'subject' is required.");
        }
        return grants.ofSubject(subject);
    }

    /** The caller's own grants, with their status and end. */
    @GET
    @Path("/mine")
    @RolesAllowed(Roles.RESEARCHER)
    public List<GrantRecord> mine() {
        return grants.ofSubject(token.getSubject());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.POLICY_ADMIN)
    public GrantRecord get(@PathParam("id") UUID id) {
        return grants.get(id);
    }

    @POST
    @Path("/{id}/suspend")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public GrantRecord suspend(@PathParam("id") UUID id, GrantChange change) {
        return grants.suspend(id, change, token.getSubject());
    }

    @POST
    @Path("/{id}/reinstate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public GrantRecord reinstate(@PathParam("id") UUID id, GrantChange change) {
        return grants.reinstate(id, change, token.getSubject());
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public GrantRecord revoke(@PathParam("id") UUID id, GrantChange change) {
        return grants.revoke(id, change, token.getSubject());
    }
}
