package org.vettedaccess.kyc.assurance;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.ApplicationRepository;
import org.vettedaccess.kyc.config.KycRoles;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** {@code GET /api/v1/assurance/{subject}}: a subject's current assurance, for access-policy and the gateway. */
@Path("/api/v1/assurance")
public class AssuranceResource {

    private final ApplicationRepository applications;

    public AssuranceResource(ApplicationRepository applications) {
        this.applications = applications;
    }

    /**
     * No personal data: the level, the tier, the decision's ledger leaf (null for the moment an approval's leaf is
     * still in the outbox), the status and the end.
     */
    public record Assurance(
            String subject, int assuranceLevel, int approvedTier, Long kycLeaf, String status, Instant validUntil) {}

    @GET
    @Path("/{subject}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(KycRoles.ASSURANCE_READ)
    public Assurance assurance(@PathParam("subject") String subject) {
        ApplicationEntity approved = applications.latestApproved(subject);
        if (approved == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No current KYC approval for this subject.");
        }
        return new Assurance(
                subject,
                approved.assuranceLevel,
                approved.requestedTier,
                approved.kycLeaf,
                approved.state,
                approved.validUntil);
    }
}
