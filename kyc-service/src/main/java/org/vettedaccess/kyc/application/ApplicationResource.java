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
import org.vettedaccess.kyc.emailproof.EmailProofService;
import org.vettedaccess.kyc.orcid.OrcidProof;
import org.vettedaccess.kyc.review.DispositionService;
import org.vettedaccess.kyc.review.ReviewService;
import org.vettedaccess.support.caller.Roles;

/** {@code /api/v1/applications}: a researcher's own applications. */
@Path("/api/v1/applications")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationResource {

    private final ApplicationService applications;
    private final ReviewService reviews;
    private final EmailProofService emailProofs;
    private final DispositionService dispositions;
    private final JsonWebToken token;

    public ApplicationResource(
            ApplicationService applications,
            ReviewService reviews,
            EmailProofService emailProofs,
            DispositionService dispositions,
            JsonWebToken token) {
        this.applications = applications;
        this.reviews = reviews;
        this.emailProofs = emailProofs;
        this.dispositions = dispositions;
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

    @POST
    @Path("/{id}/withdraw")
    public ApplicationView withdraw(@PathParam("id") UUID id) {
        reviews.withdraw(token.getSubject(), id);
        reviews.deliver(id);
        return applications.get(token.getSubject(), id);
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

    // The reviewers' actions on one application (same path prefix, so they live here; the role is per method).

    @POST
    @Path("/{id}/claim")
    @RolesAllowed(Roles.KYC_REVIEWER)
    public ApplicationView claim(@PathParam("id") UUID id) {
        return reviews.claim(token.getSubject(), id);
    }

    @POST
    @Path("/{id}/decide")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.KYC_REVIEWER)
    public ApplicationView decide(@PathParam("id") UUID id, ReviewService.Verdict decision) {
        reviews.decide(token.getSubject(), id, decision);
        // After the decision has committed: to the ledger and access-policy now, or later by the outbox.
        return reviews.deliverAndRead(token.getSubject(), id);
    }

    /** A sanctions candidate's disposition: FALSE_POSITIVE with evidence, or TRUE_MATCH (which rejects). */
    @POST
    @Path("/{id}/candidates/{candidateId}/disposition")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.KYC_REVIEWER)
    public ApplicationView disposition(
            @PathParam("id") UUID id,
            @PathParam("candidateId") UUID candidateId,
            DispositionService.Disposition disposition) {
        dispositions.record(token.getSubject(), id, candidateId, disposition);
        // A TRUE_MATCH is a rejection: to the ledger and access-policy now, or later by the outbox.
        return reviews.deliverAndRead(token.getSubject(), id);
    }

    @POST
    @Path("/{id}/conflict")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.KYC_REVIEWER)
    public ApplicationView conflict(@PathParam("id") UUID id, ReviewService.Conflict conflict) {
        return reviews.conflict(token.getSubject(), id, conflict);
    }
}
