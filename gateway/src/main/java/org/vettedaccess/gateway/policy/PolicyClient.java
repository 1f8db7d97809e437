package org.vettedaccess.gateway.policy;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

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
    public Decision decide(String subject, String model, String endpoint, int maxTokens, UUID grantId) {
        return api.decide(new PolicyApi.DecisionRequest(subject, model, endpoint, maxTokens, grantId));
    }

    /** A subject's entitlements; retried once for the same reason as decisions. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 20)
    public Entitlements entitlements(String subject) {
        return api.entitlements(new PolicyApi.SubjectRequest(subject));
    }

    /** One long poll of the change feed; no fault tolerance here, the listener's loop reconnects by itself. */
    @Override
    public ChangePage changes(Long after, long waitMs) {
        PolicyApi.ChangePage page = api.changes(after, after == null ? null : waitMs);
        return new ChangePage(
                page.changes() == null
                        ? List.of()
                        : page.changes().stream()
                                .map(c -> new Change(c.seq(), c.kind(), c.subject()))
                                .toList(),
                page.next());
    }

    /** One change: its kind and, for per-person changes, whom it concerns. */
    public record Change(long seq, String kind, String subject) {}

    /** Changes and where to continue. */
    public record ChangePage(List<Change> changes, long next) {}
}
