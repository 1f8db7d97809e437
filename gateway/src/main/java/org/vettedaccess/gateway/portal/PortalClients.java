package org.vettedaccess.gateway.portal;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The portal's calls to kyc-service and access-policy on the user's behalf. Reads are retried once (a page view
 * is idempotent); changes are never retried, so a slow answer cannot apply a change twice.
 */
@ApplicationScoped
public class PortalClients {

    private final KycPortalApi kyc;
    private final PolicyPortalApi policy;

    public PortalClients(@RestClient KycPortalApi kyc, @RestClient PolicyPortalApi policy) {
        this.kyc = kyc;
        this.policy = policy;
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> applications() {
        return kyc.mine();
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public Map<String, Object> application(String id) {
        return kyc.application(id);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    public Map<String, Object> createApplication(Map<String, Object> fields) {
        return kyc.create(fields);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    public Map<String, Object> updateApplication(String id, Map<String, Object> fields) {
        return kyc.update(id, fields);
    }

    /** submit, resubmit or withdraw. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> act(String id, String action) {
        return kyc.act(id, action);
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> sendEmailCode(String id) {
        return kyc.sendCode(id);
    }

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    public Map<String, Object> verifyEmailCode(String id, String code) {
        return kyc.verifyCode(id, Map.of("code", code == null ? "" : code));
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> reviewQueue() {
        return kyc.queue();
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public Map<String, Object> forReview(String id) {
        return kyc.forReview(id);
    }

    /** claim, decide or conflict. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> review(String id, String action, Map<String, Object> body) {
        return kyc.review(id, action, body);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> grants() {
        return policy.grants();
    }
}
