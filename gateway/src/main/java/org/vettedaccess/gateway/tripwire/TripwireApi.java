package org.vettedaccess.gateway.tripwire;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.vettedaccess.contracts.policy.Trip;
import org.vettedaccess.contracts.policy.TripReport;
import org.vettedaccess.contracts.policy.TripwireRule;

/** access-policy's tripwire API, called with the gateway's service-account token (client role {@code tripwire}). */
@RegisterRestClient(configKey = "access-policy")
@OidcClientFilter
@Path("/api/v1/tripwires")
interface TripwireApi {

    @GET
    List<TripwireRule> active(@QueryParam("active") boolean active);

    @POST
    @Path("/{id}/trips")
    Trip trip(@PathParam("id") UUID id, TripReport report);
}
