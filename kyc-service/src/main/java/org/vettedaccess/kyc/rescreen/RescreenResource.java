package org.vettedaccess.kyc.rescreen;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.vettedaccess.support.caller.Roles;

/** {@code POST /api/v1/rescreen}: screen every current approval now (after the lab updated its lists, say). */
@Path("/api/v1/rescreen")
public class RescreenResource {

    private final RescreenService rescreen;

    public RescreenResource(RescreenService rescreen) {
        this.rescreen = rescreen;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.KYC_REVIEWER)
    public RescreenService.Run run() {
        return rescreen.run();
    }
}
