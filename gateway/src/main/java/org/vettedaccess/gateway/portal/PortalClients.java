package org.vettedaccess.gateway.portal;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.vettedaccess.contracts.policy.ModelRecord;

/**
 * The portal's calls to kyc-service, access-policy and the usage-ledger on the user's behalf. Reads are retried once (a page view
 * is idempotent); changes are never retried, so a slow answer cannot apply a change twice.
 */
@ApplicationScoped
public class PortalClients {

    private final KycPortalApi kyc;
    private final PolicyPortalApi policy;
    private final LedgerPortalApi ledger;

    public PortalClients(
            @RestClient KycPortalApi kyc, @RestClient PolicyPortalApi policy, @RestClient LedgerPortalApi ledger) {
        this.kyc = kyc;
        this.policy = policy;
        this.ledger = ledger;
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

    /** A sanctions candidate's disposition (FALSE_POSITIVE or TRUE_MATCH, with evidence). */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> disposition(String id, String candidateId, Map<String, Object> body) {
        return kyc.disposition(id, candidateId, body);
    }

    /**
     * Researchers' names by subject, for a policy admin's page: one call for all the page's subjects. Names are a
     * convenience beside the subject id, so a failure shows ids alone rather than failing the page.
     */
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @org.eclipse.microprofile.faulttolerance.Fallback(fallbackMethod = "noNames")
    public Map<String, String> names(List<String> subjects) {
        return subjects.isEmpty() ? Map.of() : kyc.names(subjects);
    }

    Map<String, String> noNames(List<String> subjects) {
        return Map.of();
    }

    /** Approved researchers whose legal name contains the text (at most 20), for the grant form's picker. */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> approvedResearchers(String name) {
        return kyc.approved(name);
    }

    /**
     * The legal name of a subject a form names, or null if kyc-service knows no such researcher: the check a grant
     * form's subject passes. Unlike {@link #names}, a failure is not "unknown" but a 503 the page shows.
     */
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    @org.eclipse.microprofile.faulttolerance.Fallback(fallbackMethod = "unchecked", skipOn = PortalProblem.class)
    public String applicantName(String subject) {
        return kyc.names(List.of(subject)).get(subject);
    }

    String unchecked(String subject) {
        throw new PortalProblem(
                503, "unavailable", "The researcher cannot be checked just now (kyc-service); try again shortly.");
    }

    /** The ledger's conformance replay over indices [from, to) or times [since, until) (issue 20). */
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    public Map<String, Object> conformance(Long from, Long to, String since, String until) {
        return ledger.conformance(from, to, since, until);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> grants() {
        return policy.grants();
    }

    // ---- policy administration ----

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> grantsOf(String subject) {
        return policy.grantsOf(subject);
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> issueGrant(Map<String, Object> grant) {
        return policy.issue(grant);
    }

    /** suspend, reinstate or revoke. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> changeGrant(String id, String action, String reason) {
        return policy.changeGrant(id, action, Map.of("reason", reason == null ? "" : reason));
    }

    /** The grant hand-off queue: approvals awaiting an admin's grant. */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> handoffs() {
        return policy.handoffs();
    }

    /** The signed-in researcher's own hand-offs. */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> myHandoffs() {
        return policy.myHandoffs();
    }

    /** issue (with the days the grant lasts) or refuse (with the reason the researcher reads). */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> decideHandoff(String id, String action, Map<String, Object> decision) {
        return policy.decideHandoff(id, action, decision);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<ModelRecord> models() {
        return policy.models();
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> tiers() {
        return policy.tiers();
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> killSwitches() {
        return policy.killSwitches();
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> engage(String scope, String value, String reason, String model) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("scope", scope);
        body.put("value", value == null || value.isBlank() ? null : value.strip());
        body.put("reason", reason);
        // INSTITUTION or COUNTRY only (access-policy says so otherwise): the one model the switch stops (ADR 0045).
        body.put("model", model == null || model.isBlank() ? null : model.strip());
        return policy.engage(body);
    }

    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> release(String id) {
        return policy.release(id);
    }

    /** Catalog and tier changes waiting for a second policy admin. */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> pendingChanges() {
        return policy.changeRequests("PENDING");
    }

    /** confirm or withdraw. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    public Map<String, Object> decideChange(String id, String action) {
        return policy.decideChange(id, action);
    }

    // ---- the ledger, for regulators ----

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public Map<String, Object> entries(
            String type, String model, String subject, String from, String to, Long after, Integer limit) {
        return ledger.entries(type, model, subject, from, to, after, limit);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public Map<String, Object> entry(long index) {
        return ledger.entry(index);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public String checkpoint() {
        return ledger.checkpoint();
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<Map<String, Object>> checkpoints(long fromSize, int limit) {
        return ledger.checkpoints(fromSize, limit);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public String verifierKey() {
        return ledger.publicKey();
    }

    /** The current verifier key first, then retired ones. */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<String> verifierKeys() {
        return ledger.publicKeys();
    }

    /** The configured witnesses' cosignature keys, as the ledger lists them. */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public List<String> witnesses() {
        return ledger.witnesses();
    }

    /** The latest checkpoint with its cosignatures (regulators). */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public String cosignedCheckpoint() {
        return ledger.cosignedCheckpoint();
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public Map<String, Object> inclusion(long index, long treeSize) {
        return ledger.inclusion(index, treeSize);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, abortOn = PortalProblem.class)
    public Map<String, Object> consistency(long from, long to) {
        return ledger.consistency(from, to);
    }

    /** The export bundle, streamed through (no timeout: a large log takes as long as it takes to send). */
    public java.io.InputStream export() {
        return ledger.export();
    }
}
