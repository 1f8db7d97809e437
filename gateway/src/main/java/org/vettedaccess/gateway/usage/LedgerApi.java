package org.vettedaccess.gateway.usage;

import com.fasterxml.jackson.databind.util.RawValue;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.vettedaccess.contracts.ledger.AppendRequest;
import org.vettedaccess.contracts.ledger.AppendResponse;

/** The usage-ledger's append endpoint, called with the gateway's service-account token. */
@RegisterRestClient(configKey = "ledger")
@OidcClientFilter
@Path("/api/v1/entries")
interface LedgerApi {

    /**
     * Each entry is the JSON text the outbox holds (as jsonb), sent as it is: a {@link RawValue} is written
     * verbatim, so no tree is built to resend it.
     */
    @POST
    AppendResponse append(AppendRequest<RawValue> request);
}
