package org.vettedaccess.gateway.portal;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The portal's reads and answers of incident reports, as the user. Reads are retried once; answers never. */
@ApplicationScoped
public class IncidentPortalClient {

    private final IncidentPortalApi api;

    public IncidentPortalClient(@RestClient IncidentPortalApi api) {
        this.api = api;
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> mine() {
        return api.mine();
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> all() {
        return api.all();
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public Map<String, Object> get(String id) {
        return api.get(id);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public Map<String, Object> overview() {
        return api.overview();
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> answer(String id, String action, Map<String, Object> body) {
        return api.answer(id, action, body);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    public Map<String, Object> killSwitch(String id) {
        return api.killSwitch(id);
    }
}
