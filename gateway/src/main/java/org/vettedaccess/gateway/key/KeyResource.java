package org.vettedaccess.gateway.key;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.support.caller.Roles;

/** {@code /api/v1/keys}: a researcher's own API keys for /v1. */
@Path("/api/v1/keys")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
public class KeyResource {

    private final KeyService keys;
    private final JsonWebToken token;

    public KeyResource(KeyService keys, JsonWebToken token) {
        this.keys = keys;
        this.token = token;
    }

    @GET
    public List<KeyViews.KeyView> list() {
        return keys.list(token.getSubject());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response issue(KeyViews.KeyRequest request) {
        return Response.status(Response.Status.CREATED)
                .entity(keys.issue(token.getSubject(), request))
                .build();
    }

    @POST
    @Path("/{id}/rotate")
    public Response rotate(@PathParam("id") UUID id) {
        return Response.status(Response.Status.CREATED)
                .entity(keys.rotate(token.getSubject(), id))
                .build();
    }

    @POST
    @Path("/{id}/revoke")
    public KeyViews.KeyView revoke(@PathParam("id") UUID id) {
        return keys.revoke(token.getSubject(), id);
    }
}
