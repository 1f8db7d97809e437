package org.vettedaccess.policy.killswitch;

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

/** The kill switch, for policy admins. */
@Path("/api/v1/killswitches")
@Produces(MediaType.APPLICATION_JSON)
public class KillSwitchResource {

    private final KillSwitchService switches;
    private final JsonWebToken token;

    public KillSwitchResource(KillSwitchService switches, JsonWebToken token) {
        this.switches = switches;
        this.token = token;
    }

    @GET
    @RolesAllowed(Roles.POLICY_ADMIN)
    public List<KillSwitchRecord> list() {
        return switches.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public KillSwitchRecord engage(KillSwitchRequest request) {
        return switches.engage(request, token.getSubject());
    }

    @POST
    @Path("/{id}/release")
    @RolesAllowed(Roles.POLICY_ADMIN)
    public KillSwitchRecord release(@PathParam("id") UUID id) {
        return switches.release(id, token.getSubject());
    }
}
