package org.vettedaccess.gateway.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** access-policy's decision API and change feed, called with the gateway's service-account token. */
@RegisterRestClient(configKey = "access-policy")
@OidcClientFilter
@Path("/api/v1")
interface PolicyApi {

    record DecisionRequest(String subject, String model, String endpoint, Integer maxTokens, UUID grantId) {}

    record SubjectRequest(String subject) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Change(long seq, String kind, UUID grantId, String subject, String scope, Instant at) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChangePage(List<Change> changes, long next) {}

    @POST
    @Path("/decisions")
    Decision decide(DecisionRequest request);

    @POST
    @Path("/decisions/entitlements")
    Entitlements entitlements(SubjectRequest request);

    @GET
    @Path("/changes")
    ChangePage changes(@QueryParam("after") Long after, @QueryParam("waitMs") Long waitMs);
}
