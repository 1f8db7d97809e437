package org.vettedaccess.gateway.policy;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.vettedaccess.contracts.policy.ChangePage;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;
import org.vettedaccess.contracts.policy.Entitlements;

/** access-policy's decision API and change feed, called with the gateway's service-account token. */
@RegisterRestClient(configKey = "access-policy")
@OidcClientFilter
@Path("/api/v1")
interface PolicyApi {

    @POST
    @Path("/decisions")
    Decision decide(DecisionRequest request);

    @POST
    @Path("/decisions/entitlements")
    Entitlements entitlements(Entitlements.Request request);

    @GET
    @Path("/changes")
    ChangePage changes(@QueryParam("after") Long after, @QueryParam("waitMs") Long waitMs);
}
