package org.vettedaccess.gateway.portal;

import io.quarkus.oidc.token.propagation.common.AccessToken;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.vettedaccess.contracts.policy.ModelRecord;

/**
 * access-policy, called as the signed-in user (it authorises them itself), with the portal token exchanged for one
 * addressed to access-policy alone (docs/adr/0070-one-token-per-service-from-the-portal.md).
 */
@RegisterRestClient(configKey = "policy-portal")
@AccessToken(exchangeTokenClient = "portal-to-access-policy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface PolicyPortalApi {

    /** The signed-in researcher's own grants. */
    @GET
    @Path("/api/v1/grants/mine")
    List<Map<String, Object>> grants();

    @GET
    @Path("/api/v1/grants")
    List<Map<String, Object>> grantsOf(@QueryParam("subject") String subject);

    @POST
    @Path("/api/v1/grants")
    Map<String, Object> issue(Map<String, Object> grant);

    @POST
    @Path("/api/v1/grants/{id}/{action}")
    Map<String, Object> changeGrant(
            @PathParam("id") String id, @PathParam("action") String action, Map<String, Object> reason);

    /** Approvals awaiting an admin's grant (policy admins). */
    @GET
    @Path("/api/v1/grant-handoffs")
    List<Map<String, Object>> handoffs();

    /** The signed-in researcher's own grant hand-offs, with a refusal's reason. */
    @GET
    @Path("/api/v1/grant-handoffs/mine")
    List<Map<String, Object>> myHandoffs();

    /** issue or refuse. */
    @POST
    @Path("/api/v1/grant-handoffs/{id}/{action}")
    Map<String, Object> decideHandoff(
            @PathParam("id") String id, @PathParam("action") String action, Map<String, Object> decision);

    @GET
    @Path("/api/v1/models")
    List<ModelRecord> models();

    @GET
    @Path("/api/v1/tiers")
    List<Map<String, Object>> tiers();

    @GET
    @Path("/api/v1/killswitches")
    List<Map<String, Object>> killSwitches();

    @POST
    @Path("/api/v1/killswitches")
    Map<String, Object> engage(Map<String, Object> killSwitch);

    @POST
    @Path("/api/v1/killswitches/{id}/release")
    Map<String, Object> release(@PathParam("id") String id);

    @GET
    @Path("/api/v1/change-requests")
    List<Map<String, Object>> changeRequests(@QueryParam("status") String status);

    /** confirm or withdraw a pending catalog or tier change. */
    @POST
    @Path("/api/v1/change-requests/{id}/{action}")
    Map<String, Object> decideChange(@PathParam("id") String id, @PathParam("action") String action);

    @ClientExceptionMapper
    static RuntimeException problem(Response response) {
        return response.getStatus() >= 400 ? PortalProblem.from(response.getStatus(), Problems.read(response)) : null;
    }
}
