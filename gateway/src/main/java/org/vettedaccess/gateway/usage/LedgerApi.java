package org.vettedaccess.gateway.usage;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The usage-ledger's append endpoint, called with the gateway's service-account token. */
@RegisterRestClient(configKey = "ledger")
@OidcClientFilter
@Path("/api/v1/entries")
interface LedgerApi {

    /** {@code entry} is JSON text, sent as it is (the outbox holds it as jsonb; no tree is built to resend it). */
    record Item(
            String idempotencyKey,
            String type,
            @JsonRawValue String entry) {}

    record Request(List<Item> entries) {}

    record Result(long index, String leafHash, boolean duplicate) {}

    record Response(List<Result> results) {}

    @POST
    Response append(Request request);
}
