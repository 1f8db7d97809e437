package org.vettedaccess.kyc.policy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.vettedaccess.contracts.policy.KycOutcome;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** Tells access-policy what a KYC decision means for a researcher's access. */
@ApplicationScoped
public class KycOutcomeClient {

    private static final Logger LOG = Logger.getLogger(KycOutcomeClient.class);
    private static final GenericType<KycOutcome.Answer<KycOutcome.IssuedGrant>> ANSWER = new GenericType<>() {};

    private final KycOutcomeApi api;

    public KycOutcomeClient(@RestClient KycOutcomeApi api) {
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
    public Reported report(KycOutcome outcome) {
        try (Response response = api.report(outcome)) {
            if (response.getStatus() == 204) {
                return new Reported(null, null);
            }
            KycOutcome.Answer<KycOutcome.IssuedGrant> answer = response.readEntity(ANSWER);
            return new Reported(answer.grant() == null ? null : answer.grant().id(), answer.refused());
        } catch (RuntimeException e) {
            LOG.warnf("access-policy did not take the outcome for %s: %s", outcome.subject(), e.toString());
            throw new ProblemException(
                    ProblemType.UNAVAILABLE, "access-policy cannot be told of this decision now; nothing was changed.");
        }
    }
}
