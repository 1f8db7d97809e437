package org.vettedaccess.policy.catalog;

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
import org.vettedaccess.contracts.policy.ModelRecord;
import org.vettedaccess.policy.changerequest.ChangeOutcome;
import org.vettedaccess.policy.changerequest.ChangeRequestRecord;
import org.vettedaccess.policy.config.PolicyRoles;
import org.vettedaccess.support.caller.Roles;

/**
 * The model catalog: everyone signed in reads it; policy admins change it. A change that only narrows access
 * answers 200 with the model; any other answers 202 with the change request a second admin must confirm.
 */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    private final CatalogService catalog;
    private final JsonWebToken token;

    public CatalogResource(CatalogService catalog, JsonWebToken token) {
        this.catalog = catalog;
        this.token = token;
    }

    @GET
    @RolesAllowed({
        Roles.RESEARCHER,
        Roles.KYC_REVIEWER,
        Roles.POLICY_ADMIN,
        Roles.REGULATOR,
        PolicyRoles.DECIDE,
        PolicyRoles.CATALOG_READ
    })
    public List<ModelRecord> list() {
        return catalog.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.RESEARCHER, Roles.KYC_REVIEWER, Roles.POLICY_ADMIN, Roles.REGULATOR, PolicyRoles.DECIDE})
    public ModelRecord get(@PathParam("id") String id) {
        return catalog.get(id);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    @APIResponse(
            responseCode = "200",
            description = "applied: the change only narrows access",
            content = @Content(schema = @Schema(implementation = ModelRecord.class)))
    @APIResponse(
            responseCode = "202",
            description = "pending: it loosens access, so a second policy admin must confirm it",
            content = @Content(schema = @Schema(implementation = ChangeRequestRecord.class)))
    public Response put(@PathParam("id") String id, ModelRequest request) {
        ChangeOutcome<ModelRecord> outcome = catalog.put(id, request, token.getSubject());
        return outcome.pending() != null
                ? Response.status(Response.Status.ACCEPTED)
                        .entity(outcome.pending())
                        .build()
                : Response.ok(outcome.applied()).build();
    }
}
