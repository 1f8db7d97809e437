package org.vettedaccess.policy.assurance;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.vettedaccess.policy.config.PolicyRoles;

/** {@code POST /api/v1/kyc-outcomes}: kyc-service reports assurance levels, approvals, suspensions, expiries. */
@Path("/api/v1/kyc-outcomes")
public class KycOutcomeResource {

    private final AssuranceService assurances;

    public KycOutcomeResource(AssuranceService assurances) {
        this.assurances = assurances;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(PolicyRoles.KYC_SYNC)
    public Response report(KycOutcome outcome) {
        assurances.report(outcome);
        return Response.noContent().build();
    }
}
