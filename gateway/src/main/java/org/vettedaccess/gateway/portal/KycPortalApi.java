package org.vettedaccess.gateway.portal;

import io.quarkus.oidc.token.propagation.common.AccessToken;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * kyc-service, called as the signed-in user (it authorises them itself), with the portal token exchanged for one
 * addressed to kyc-service alone (docs/adr/0070-one-token-per-service-from-the-portal.md).
 */
@RegisterRestClient(configKey = "kyc-portal")
@AccessToken(exchangeTokenClient = "portal-to-kyc-service")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface KycPortalApi {

    @GET
    @Path("/api/v1/applications")
    List<Map<String, Object>> mine();

    @GET
    @Path("/api/v1/applications/{id}")
    Map<String, Object> application(@PathParam("id") String id);

    @POST
    @Path("/api/v1/applications")
    Map<String, Object> create(Map<String, Object> fields);

    @PUT
    @Path("/api/v1/applications/{id}")
    Map<String, Object> update(@PathParam("id") String id, Map<String, Object> fields);

    @POST
    @Path("/api/v1/applications/{id}/{action}")
    Map<String, Object> act(@PathParam("id") String id, @PathParam("action") String action);

    @POST
    @Path("/api/v1/applications/{id}/email-proof")
    Map<String, Object> sendCode(@PathParam("id") String id);

    @POST
    @Path("/api/v1/applications/{id}/email-proof/verify")
    Map<String, Object> verifyCode(@PathParam("id") String id, Map<String, Object> code);

    @GET
    @Path("/api/v1/review-queue")
    List<Map<String, Object>> queue();

    @GET
    @Path("/api/v1/review/applications/{id}")
    Map<String, Object> forReview(@PathParam("id") String id);

    @POST
    @Path("/api/v1/applications/{id}/{action}")
    Map<String, Object> review(
            @PathParam("id") String id, @PathParam("action") String action, Map<String, Object> body);

    @POST
    @Path("/api/v1/applications/{id}/candidates/{candidateId}/disposition")
    Map<String, Object> disposition(
            @PathParam("id") String id, @PathParam("candidateId") String candidateId, Map<String, Object> body);

    /** Researchers' names by subject, for policy admins (one batched call per page). */
    @GET
    @Path("/api/v1/applicants/names")
    Map<String, String> names(@jakarta.ws.rs.QueryParam("subject") List<String> subjects);

    /** Approved researchers whose legal name contains the text, for the grant form's picker (policy admins). */
    @GET
    @Path("/api/v1/applicants")
    List<Map<String, Object>> approved(@jakarta.ws.rs.QueryParam("name") String name);

    @ClientExceptionMapper
    static RuntimeException problem(Response response) {
        return response.getStatus() >= 400 ? PortalProblem.from(response.getStatus(), Problems.read(response)) : null;
    }
}
