package org.vettedaccess.kyc.emailproof;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.kyc.application.ApplicationView;
import org.vettedaccess.support.caller.Roles;

/** The institutional email proof of a researcher's own application, under {@code /api/v1/applications/{id}}. */
@Path("/api/v1/applications")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
public class EmailProofResource {

    private final EmailProofService emailProofs;
    private final JsonWebToken token;

    public EmailProofResource(EmailProofService emailProofs, JsonWebToken token) {
        this.emailProofs = emailProofs;
        this.token = token;
    }

    /** Mails a one-time code to the application's institutional address. */
    @POST
    @Path("/{id}/email-proof")
    public Response sendEmailCode(@PathParam("id") UUID id) {
        return Response.accepted(emailProofs.send(token.getSubject(), id)).build();
    }

    /** The code from that email: a wrong or late one is refused and counted. */
    @POST
    @Path("/{id}/email-proof/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApplicationView verifyEmailCode(@PathParam("id") UUID id, EmailProofService.Attempt attempt) {
        return emailProofs.verify(token.getSubject(), id, attempt);
    }
}
