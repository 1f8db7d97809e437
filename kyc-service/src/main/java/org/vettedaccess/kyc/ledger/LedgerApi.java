package org.vettedaccess.kyc.ledger;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The usage-ledger's append endpoint, called with kyc-service's service-account token. */
@RegisterRestClient(configKey = "ledger")
@OidcClientFilter
@Path("/api/v1/entries")
interface LedgerApi {

    record Item(String idempotencyKey, String type, Map<String, Object> entry) {}

    record Request(List<Item> entries) {}

    record Result(long index, String leafHash, boolean duplicate) {}

    record Response(List<Result> results) {}

    @POST
    Response append(Request request);
}
