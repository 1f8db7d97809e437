package org.vettedaccess.gateway.tripwire;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.vettedaccess.contracts.policy.Trip;
import org.vettedaccess.contracts.policy.TripReport;
import org.vettedaccess.contracts.policy.TripwireRule;

/** Reads the active rules from access-policy and reports trips to it. */
@ApplicationScoped
public class TripwireClient {

    private final TripwireApi api;

    public TripwireClient(@RestClient TripwireApi api) {
        this.api = api;
    }

    /** The active rules; the caller keeps the last good list when this fails. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    public List<TripwireRule> activeRules() {
        return api.active(true);
    }

    /**
     * A trip report. Retried: access-policy engages a rule's action once however often it is told (an action in
     * force answers with the trip that engaged it), so a retry after a lost answer is safe.
     */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 50, abortOn = jakarta.ws.rs.WebApplicationException.class)
    public Trip trip(UUID rule, TripReport report) {
        return api.trip(rule, report);
    }
}
