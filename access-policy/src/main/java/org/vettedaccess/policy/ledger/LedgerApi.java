package org.vettedaccess.policy.ledger;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.vettedaccess.contracts.ledger.AppendRequest;
import org.vettedaccess.contracts.ledger.AppendResponse;

/** The usage-ledger's append endpoint, called with access-policy's service-account token. */
@RegisterRestClient(configKey = "ledger")
@OidcClientFilter
@Path("/api/v1/entries")
interface LedgerApi {

    @POST
    AppendResponse append(AppendRequest<Map<String, Object>> request);
}
