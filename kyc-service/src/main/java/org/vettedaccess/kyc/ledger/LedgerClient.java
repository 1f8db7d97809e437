package org.vettedaccess.kyc.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.vettedaccess.contracts.ledger.AppendRequest;
import org.vettedaccess.contracts.ledger.AppendResponse;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** Appends KYC decisions to the usage-ledger (for the ledger outbox, which delivers them in order). */
@ApplicationScoped
public class LedgerClient {

    private static final Logger LOG = Logger.getLogger(LedgerClient.class);

    private final LedgerApi api;

    public LedgerClient(@RestClient LedgerApi api) {
        this.api = api;
    }

    /**
     * Appends one entry and returns its leaf index. Retried because an append is idempotent by its key: a retry
     * after a lost answer returns the original index, never a second leaf. If the ledger cannot take it, the
     * decision stays in the outbox and is delivered later.
     */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
    public long append(String idempotencyKey, String type, Map<String, Object> entry) {
        try {
            AppendResponse response = api.append(AppendRequest.of(idempotencyKey, type, entry));
            return response.results().get(0).index();
        } catch (RuntimeException e) {
            LOG.warnf("the ledger did not take %s (%s): %s", type, idempotencyKey, e.toString());
            throw new ProblemException(
                    ProblemType.UNAVAILABLE, "The usage-ledger cannot record this decision now; nothing was changed.");
        }
    }
}
