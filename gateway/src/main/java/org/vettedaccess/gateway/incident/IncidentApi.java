package org.vettedaccess.gateway.incident;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.vettedaccess.contracts.policy.FileIncidentRequest;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** access-policy's incident filing, called with the gateway's service account (client role file-incidents). */
@RegisterRestClient(configKey = "access-policy")
@OidcClientFilter
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface IncidentApi {

    /** The report access-policy stored, passed on to the researcher as it is. */
    @POST
    Map<String, Object> file(FileIncidentRequest report);

    /** access-policy's 4xx (a bad field, an unknown model) reaches the researcher as it is; anything else is a 503. */
    @ClientExceptionMapper
    static RuntimeException problem(Response response) {
        int status = response.getStatus();
        if (status < 400) {
            return null;
        }
        String detail = null;
        try {
            Map<?, ?> problem = response.readEntity(Map.class);
            detail = problem == null || problem.get("detail") == null ? null : String.valueOf(problem.get("detail"));
        } catch (RuntimeException unreadable) {
            // Not a problem document: answered below without a detail.
        }
        ProblemType type = switch (status) {
            case 400 -> ProblemType.INVALID_REQUEST;
            case 404 -> ProblemType.NOT_FOUND;
            case 409 -> ProblemType.CONFLICT;
            default -> null;
        };
        if (type != null) {
            return new ProblemException(type, detail == null ? "The report was refused." : detail);
        }
        return new ProblemException(
                ProblemType.UNAVAILABLE,
                status == 503 && detail != null ? detail : "Reports cannot be filed now; nothing was filed.");
    }
}
