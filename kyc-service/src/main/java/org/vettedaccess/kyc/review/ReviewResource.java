package org.vettedaccess.kyc.review;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.kyc.application.ApplicationView;
import org.vettedaccess.support.caller.Roles;

/** The reviewers' queue and their view of one application (claim, decide and conflict are on ApplicationResource). */
@Path("/api/v1")
@RolesAllowed(Roles.KYC_REVIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {

    private final ReviewService reviews;
    private final JsonWebToken token;

    public ReviewResource(ReviewService reviews, JsonWebToken token) {
        this.reviews = reviews;
        this.token = token;
    }

    @GET
    @Path("/review-queue")
    public List<ReviewService.QueueEntry> queue() {
        return reviews.queue(token.getSubject());
    }

    @GET
    @Path("/review/applications/{id}")
    public ApplicationView read(@PathParam("id") UUID id) {
        return reviews.read(token.getSubject(), id);
    }
}
