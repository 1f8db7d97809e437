package org.vettedaccess.kyc.review;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.kyc.application.ApplicationService;
import org.vettedaccess.kyc.application.ApplicationView;
import org.vettedaccess.support.caller.Roles;

/**
 * The actions on one application that the review feature carries out, under {@code /api/v1/applications/{id}}: its
 * researcher's withdrawal and the reviewers' claim, decision, dispositions and conflicts (the role is per method).
 */
@Path("/api/v1/applications")
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationReviewResource {

    private final ApplicationService applications;
    private final ReviewService reviews;
    private final DispositionService dispositions;
    private final JsonWebToken token;

    public ApplicationReviewResource(
            ApplicationService applications,
            ReviewService reviews,
            DispositionService dispositions,
            JsonWebToken token) {
        this.applications = applications;
        this.reviews = reviews;
        this.dispositions = dispositions;
        this.token = token;
    }

    @POST
    @Path("/{id}/withdraw")
    @RolesAllowed(Roles.RESEARCHER)
    public ApplicationView withdraw(@PathParam("id") UUID id) {
        reviews.withdraw(token.getSubject(), id);
        reviews.deliver(id);
        return applications.get(token.getSubject(), id);
    }

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
