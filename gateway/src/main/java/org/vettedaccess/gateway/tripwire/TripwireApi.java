package org.vettedaccess.gateway.tripwire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** access-policy's tripwire API, called with the gateway's service-account token (client role {@code tripwire}). */
@RegisterRestClient(configKey = "access-policy")
@OidcClientFilter
@Path("/api/v1/tripwires")
interface TripwireApi {

    /** A rule version as access-policy serves it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rule(
            UUID id,
            int version,
            String kind,
            String model,
            int windowSeconds,
            int thresholdPercent,
            int minCalls,
            double multiple,
            long baselineFloorTokens,
            int allowedFromHour,
            int allowedToHour,
            String action,
            boolean active,
            Instant lastTrippedAt) {}

    record Report(int version, String subject, UUID grantId, Map<String, Long> figures) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Trip(UUID id, UUID killSwitchId, UUID grantId, Long leafIndex, boolean alreadyInForce) {}

    @GET
    List<Rule> active(@QueryParam("active") boolean active);

    @POST
    @Path("/{id}/trips")
    Trip trip(@PathParam("id") UUID id, Report report);
}
