package org.vettedaccess.policy.decision;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;
import org.vettedaccess.contracts.policy.Entitlements;
import org.vettedaccess.policy.config.PolicyRoles;

/** {@code POST /api/v1/decisions}: the gateway's question before each forward. */
@Path("/api/v1/decisions")
public class DecisionResource {

    private final DecisionService decisions;

    public DecisionResource(DecisionService decisions) {
        this.decisions = decisions;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(PolicyRoles.DECIDE)
    public Decision decide(DecisionRequest request) {
        return decisions.decide(request);
    }

    /** {@code POST /api/v1/decisions/entitlements}: a subject's current grants and the models they allow. */
    @POST
    @Path("/entitlements")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(PolicyRoles.DECIDE)
    public Entitlements entitlements(Entitlements.Request request) {
        return decisions.entitlements(request == null ? null : request.subject());
    }
}
