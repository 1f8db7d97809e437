package org.vettedaccess.kyc.policy;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.vettedaccess.contracts.policy.KycOutcome;

/** access-policy's KYC outcome endpoint, called with kyc-service's service-account token. */
@RegisterRestClient(configKey = "access-policy")
@OidcClientFilter
@Path("/api/v1/kyc-outcomes")
interface KycOutcomeApi {

    /** 204, or 200 with a {@link KycOutcome.Answer} when the outcome asked for a grant. */
    @POST
    Response report(KycOutcome outcome);
}
