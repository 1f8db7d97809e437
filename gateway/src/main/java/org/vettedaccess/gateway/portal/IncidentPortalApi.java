package org.vettedaccess.gateway.portal;

import io.quarkus.oidc.token.propagation.common.AccessToken;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * access-policy's incident reports, called as the signed-in user (it checks role and ownership), with the portal
 * token exchanged for one addressed to access-policy alone (ADR 0070).
 */
@RegisterRestClient(configKey = "policy-portal")
@AccessToken(exchangeTokenClient = "portal-to-access-policy")
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface IncidentPortalApi {

    @GET
    @Path("/mine")
    List<Map<String, Object>> mine();

    @GET
    List<Map<String, Object>> all();

    @GET
    @Path("/{id}")
    Map<String, Object> get(@PathParam("id") String id);

    @GET
    @Path("/overview")
    Map<String, Object> overview();

    /** acknowledge, triage, mitigate, disclose or reject. */
    @POST
    @Path("/{id}/{action}")
    Map<String, Object> answer(
            @PathParam("id") String id, @PathParam("action") String action, Map<String, Object> body);

    @POST
    @Path("/{id}/kill-switch")
    Map<String, Object> killSwitch(@PathParam("id") String id);

    @ClientExceptionMapper
    static RuntimeException problem(Response response) {
        return response.getStatus() >= 400 ? PortalProblem.from(response.getStatus(), Problems.read(response)) : null;
    }
}
