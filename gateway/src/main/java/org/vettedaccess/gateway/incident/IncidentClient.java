package org.vettedaccess.gateway.incident;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.vettedaccess.contracts.policy.FileIncidentRequest;

/** Files reports at access-policy. Never retried: a report is not idempotent (each filing is a new report). */
@ApplicationScoped
public class IncidentClient {

    private final IncidentApi api;

    public IncidentClient(@RestClient IncidentApi api) {
        this.api = api;
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> file(FileIncidentRequest report) {
        return api.file(report);
    }
}
