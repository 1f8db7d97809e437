package org.vettedaccess.gateway.quota;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the quota counters can be used: without them no call may be admitted. */
@Readiness
@ApplicationScoped
public class QuotaReadiness implements HealthCheck {

    private final QuotaStore store;

    public QuotaReadiness(QuotaStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("quota-counters").status(store.ready()).build();
    }
}
