package org.vettedaccess.policy.changerequest;

import jakarta.annotation.security.RolesAllowed;
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

/** Permissive catalog and tier changes waiting for a second policy admin. */
@Path("/api/v1/change-requests")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.POLICY_ADMIN)
public class ChangeRequestResource {

    private final ChangeRequestService service;
    private final JsonWebToken token;

    public ChangeRequestResource(ChangeRequestService service, JsonWebToken token) {
        this.service = service;
        this.token = token;
    }

    /** Newest first; {@code status} (PENDING, APPLIED, WITHDRAWN, REFUSED) narrows the list. */
    @GET
    public List<ChangeRequestRecord> list(@QueryParam("status") String status) {
        return service.list(status);
    }

    @GET
    @Path("/{id}")
    public ChangeRequestRecord get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @POST
    @Path("/{id}/confirm")
    public ChangeRequestRecord confirm(@PathParam("id") UUID id) {
        return service.confirm(id, token.getSubject());
    }

    @POST
    @Path("/{id}/withdraw")
    public ChangeRequestRecord withdraw(@PathParam("id") UUID id) {
        return service.withdraw(id, token.getSubject());
    }
}
