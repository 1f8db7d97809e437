package org.vettedaccess.kyc.policy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** Tells access-policy what a KYC decision means for a researcher's access. */
@ApplicationScoped
public class PolicyClient {

    private static final Logger LOG = Logger.getLogger(PolicyClient.class);

    private final PolicyApi api;

    public PolicyClient(@RestClient PolicyApi api) {
        this.api = api;
    }

    /** What access-policy did with an approval that asked for a grant. */
    public record Reported(String grantId, String refused) {}

    /**
     * Reports an outcome. Retried because a report is idempotent (the same approval reported twice sets the same
     * assurance and returns the grant already issued).
     */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
    public Reported report(
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
            String purpose) {
        try (Response response = api.report(new PolicyApi.Outcome(
                subject,
                assuranceLevel,
                approvedTier,
                kycLeaf,
                status,
                institution,
                country,
                validUntil,
                requestedTier,
                requestedModels,
                purpose))) {
            if (response.getStatus() == 204) {
                return new Reported(null, null);
            }
            com.fasterxml.jackson.databind.JsonNode body =
                    response.readEntity(com.fasterxml.jackson.databind.JsonNode.class);
            return new Reported(
                    body.path("grant").path("id").asText(null),
                    body.path("refused").asText(null));
        } catch (RuntimeException e) {
            LOG.warnf("access-policy did not take the outcome for %s: %s", subject, e.toString());
            throw new ProblemException(
                    ProblemType.UNAVAILABLE, "access-policy cannot be told of this decision now; nothing was changed.");
        }
    }
}
