package org.vettedaccess.gateway.usage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the first probe of the ledger has finished, whatever it found (before that every fail-closed call
 * would be refused); a ledger outage does not make the gateway unready, since tiers that fail open still serve.
 */
@Readiness
@ApplicationScoped
public class LedgerProbeReadiness implements HealthCheck {

    private final LedgerProbe probe;

    public LedgerProbeReadiness(LedgerProbe probe) {
        this.probe = probe;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("ledger-probe")
                .status(probe.probed())
                .withData("ledger", probe.unreachable() ? "unreachable" : "reachable")
                .build();
    }
}
