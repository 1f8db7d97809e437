package org.vettedaccess.gateway.policy;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.vettedaccess.contracts.policy.ChangePage;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;
import org.vettedaccess.contracts.policy.Entitlements;

/** Asks access-policy for decisions, entitlements and changes. */
@ApplicationScoped
public class PolicyClient implements PolicyDecisions {

    private final PolicyApi api;

    public PolicyClient(@RestClient PolicyApi api) {
        this.api = api;
    }

    /**
     * One decision. Retried once because deciding has no side effects; a breaker stops the gateway from queueing on
     * a dead access-policy (the caller then denies: no forward without an allow).
     */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 20)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS)
    @Override
    public Decision decide(DecisionRequest request) {
        return api.decide(request);
    }

    /** A subject's entitlements; retried once for the same reason as decisions. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 20)
    public Entitlements entitlements(String subject) {
        return api.entitlements(new Entitlements.Request(subject));
    }

    /** One long poll of the change feed; no fault tolerance here, the listener's loop reconnects by itself. */
    @Override
    public ChangePage changes(Long after, long waitMs) {
        ChangePage page = api.changes(after, after == null ? null : waitMs);
        return page.changes() == null ? new ChangePage(List.of(), page.next()) : page;
    }
}
