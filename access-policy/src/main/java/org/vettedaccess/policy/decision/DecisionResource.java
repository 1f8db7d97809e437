package org.vettedaccess.policy.decision;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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

    /**
     * Non-blocking: the body is read and the decision made on the event loop when everything it needs is in memory
     * (the usual case, {@link DecisionService#fromMemory}); a decision that must read the database or catch up with
     * the change feed runs on a worker thread. A blocking method would read even a 100-byte body on the worker,
     * handing each chunk over from the event loop, which cost milliseconds per call here (ADR 0082).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(PolicyRoles.DECIDE)
    public Uni<Decision> decide(DecisionRequest request) {
        Decision fromMemory = decisions.fromMemory(request);
        if (fromMemory != null) {
            return Uni.createFrom().item(fromMemory);
        }
        return Uni.createFrom()
                .item(() -> decisions.decide(request))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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
