package org.vettedaccess.kyc.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.vettedaccess.contracts.policy.ModelRecord;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Reads access-policy's catalog. A read is idempotent, so it is retried once; when the catalog cannot be read the
 * caller gets a 503 problem and nothing is saved: a request is never accepted unchecked.
 */
@ApplicationScoped
public class CatalogClient {

    private static final Logger LOG = Logger.getLogger(CatalogClient.class);

    private final CatalogApi api;

    public CatalogClient(@RestClient CatalogApi api) {
        this.api = api;
    }

    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 100)
    @Fallback(fallbackMethod = "unavailable")
    public List<ModelRecord> models() {
        return api.models();
    }

    List<ModelRecord> unavailable(Throwable cause) {
        LOG.warnf("access-policy's catalog cannot be read: %s", cause.toString());
        throw new ProblemException(
                ProblemType.UNAVAILABLE,
                "The model catalog cannot be read now, so the requested models cannot be checked; nothing was saved."
                        + " Retry shortly.");
    }
}
