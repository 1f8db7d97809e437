package org.vettedaccess.policy.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.vettedaccess.contracts.ledger.AppendRequest;
import org.vettedaccess.contracts.ledger.AppendResponse;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** Appends access-policy's changes to the usage-ledger and returns their leaf indices. */
@ApplicationScoped
public class LedgerClient {

    private final LedgerApi api;

    public LedgerClient(@RestClient LedgerApi api) {
        this.api = api;
    }

    /**
     * Appends one entry. Retried because an append is idempotent by its key: a retry after a lost answer returns
     * the original index and never a second leaf.
     */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 200, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS)
    public long append(String idempotencyKey, String type, Map<String, Object> entry) {
        AppendResponse response = api.append(AppendRequest.of(idempotencyKey, type, entry));
        if (response == null || !response.answers(1)) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "The ledger gave no index; the change was not made.");
        }
        return response.results().get(0).index();
    }
}
