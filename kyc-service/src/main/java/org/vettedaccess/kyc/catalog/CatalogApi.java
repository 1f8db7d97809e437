package org.vettedaccess.kyc.catalog;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.vettedaccess.contracts.policy.ModelRecord;

/** access-policy's model catalog, read with kyc-service's service-account token (client role catalog-read). */
@RegisterRestClient(configKey = "access-policy")
@OidcClientFilter
@Path("/api/v1/models")
interface CatalogApi {

    @GET
    List<ModelRecord> models();
}
