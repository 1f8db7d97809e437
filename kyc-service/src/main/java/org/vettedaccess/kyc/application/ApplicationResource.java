package org.vettedaccess.kyc.application;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.kyc.orcid.OrcidProof;
import org.vettedaccess.support.caller.Roles;

/**
 * {@code /api/v1/applications}: a researcher's own applications. The email proof ({@code EmailProofResource}), the
 * withdrawal and the reviewers' actions ({@code ApplicationReviewResource}) share the path and live with their
 * features.
 */
@Path("/api/v1/applications")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationResource {

    private final ApplicationService applications;
    private final JsonWebToken token;

    public ApplicationResource(ApplicationService applications, JsonWebToken token) {
        this.applications = applications;
        this.token = token;
    }

    @GET
    public List<ApplicationView> mine() {
        return applications.mine(token.getSubject());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(ApplicationRequest request) {
        return Response.status(Response.Status.CREATED)
                .entity(applications.create(token.getSubject(), request, OrcidProof.provenBy(token)))
                .build();
    }

    @GET
    @Path("/{id}")
    public ApplicationView get(@PathParam("id") UUID id) {
        return applications.get(token.getSubject(), id);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApplicationView update(@PathParam("id") UUID id, ApplicationRequest request) {
        return applications.update(token.getSubject(), id, request, OrcidProof.provenBy(token));
    }

    @POST
    @Path("/{id}/submit")
    public ApplicationView submit(@PathParam("id") UUID id) {
        return applications.submit(token.getSubject(), id, OrcidProof.provenBy(token));
    }

    /** After changes were requested or a rejection: the edited application goes through screening again. */
    @POST
    @Path("/{id}/resubmit")
    public ApplicationView resubmit(@PathParam("id") UUID id) {
        return applications.submit(token.getSubject(), id, OrcidProof.provenBy(token));
    }
}
