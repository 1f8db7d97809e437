package org.vettedaccess.gateway.usage;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The usage-ledger's latest checkpoint, read only to see that the ledger answers: an authenticated read that
 * touches its database, on a client of its own with short timeouts (appends may take longer).
 */
@RegisterRestClient(configKey = "ledger-probe")
@OidcClientFilter
@Path("/api/v1/checkpoint")
interface LedgerProbeApi {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    String latest();
}
