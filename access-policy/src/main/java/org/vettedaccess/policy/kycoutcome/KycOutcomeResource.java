package org.vettedaccess.policy.kycoutcome;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Event;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.vettedaccess.contracts.policy.KycOutcome;
import org.vettedaccess.policy.assurance.AssuranceService;
import org.vettedaccess.policy.config.PolicyRoles;
import org.vettedaccess.policy.grant.AdminGrantAwaited;
import org.vettedaccess.policy.grant.GrantRecord;
import org.vettedaccess.policy.grant.GrantService;
import org.vettedaccess.support.problem.ProblemException;

/**
 * {@code POST /api/v1/kyc-outcomes}: kyc-service reports assurance levels, approvals, suspensions, expiries. The
 * intake of both features it feeds: the assurance first, then (if models were requested) the auto-grant.
 */
@Path("/api/v1/kyc-outcomes")
public class KycOutcomeResource {

    private final AssuranceService assurances;
    private final GrantService grants;
    private final Event<AdminGrantAwaited> awaited;

    public KycOutcomeResource(AssuranceService assurances, GrantService grants, Event<AdminGrantAwaited> awaited) {
        this.assurances = assurances;
        this.grants = grants;
        this.awaited = awaited;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(PolicyRoles.KYC_SYNC)
    public Response report(KycOutcome outcome) {
        if (outcome != null
                && outcome.requestsGrant()
                && (outcome.requestedTier() == null || outcome.requestedTier() < 1 || outcome.requestedTier() > 3)) {
            throw ProblemException.invalidField("requestedTier", "must be 1, 2 or 3 when models are requested");
        }
        assurances.report(outcome);
        if (!outcome.requestsGrant()) {
            return Response.noContent().build();
        }
        GrantService.AutoGrant auto = grants.autoGrant(new GrantService.AssuranceOutcome(
                outcome.subject(),
                outcome.requestedTier(),
                outcome.requestedModels(),
                outcome.purpose(),
                outcome.validUntil()));
        if (auto.needsAdmin()) {
            // The tier's grants are an admin's: the approval waits in their queue with what was applied for.
            awaited.fire(new AdminGrantAwaited(outcome));
        }
        return Response.ok(new KycOutcome.Answer<GrantRecord>(auto.grant(), auto.refused()))
                .build();
    }
}
