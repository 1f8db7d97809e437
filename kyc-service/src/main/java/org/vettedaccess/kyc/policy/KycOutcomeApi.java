package org.vettedaccess.kyc.policy;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** access-policy's KYC outcome endpoint, called with kyc-service's service-account token. */
@RegisterRestClient(configKey = "access-policy")
@OidcClientFilter
@Path("/api/v1/kyc-outcomes")
interface PolicyApi {

    record Outcome(
            String subject,
            int assuranceLevel,
            int approvedTier,
            Long kycLeaf,
            String status,
            String institution,
            String country,
            Instant validUntil,
            Integer requestedTier,
            List<String> requestedModels,
            String purpose) {}

    @POST
    Response report(Outcome outcome);
}
