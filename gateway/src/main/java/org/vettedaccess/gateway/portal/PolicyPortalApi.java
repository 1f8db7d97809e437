package org.vettedaccess.gateway.portal;

import io.quarkus.oidc.token.propagation.common.AccessToken;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** access-policy, called with the signed-in user's own access token. */
@RegisterRestClient(configKey = "policy-portal")
@AccessToken
@Produces(MediaType.APPLICATION_JSON)
interface PolicyPortalApi {

    /** The signed-in researcher's own grants. */
    @GET
    @Path("/api/v1/grants/mine")
    List<Map<String, Object>> grants();

    @ClientExceptionMapper
    static RuntimeException problem(Response response) {
        return response.getStatus() >= 400 ? PortalProblem.from(response.getStatus(), Problems.read(response)) : null;
    }
}
