package org.vettedaccess.e2e.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vettedaccess.suite.LocalSuite;

/** The usage-ledger as its callers use it: services append with their service accounts, people read. */
public final class Ledger {

    private final String url;
    private final Keycloak keycloak;

    public Ledger(LocalSuite suite, Keycloak keycloak) {
        this.url = suite.serviceUrl("usage-ledger");
        this.keycloak = keycloak;
    }

    public String url() {
        return url;
    }

    /** A service account token of a service allowed to append (the gateway's). */
    public String appenderToken() {
        return keycloak.clientToken("gateway", "gateway-demo-secret");
    }

    public static Map<String, Object> item(String type, Map<String, Object> entry) {
        return item("e2e-" + UUID.randomUUID(), type, entry);
    }

    public static Map<String, Object> item(String key, String type, Map<String, Object> entry) {
        return Map.of("idempotencyKey", key, "type", type, "entry", entry);
    }

    public Response append(String token, List<Map<String, Object>> items) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("entries", items))
                .post(url + "/api/v1/entries");
    }

    /** Appends and returns the indices, failing the test on anything but 200. */
    public List<Long> appendOk(List<Map<String, Object>> items) {
        List<Number> indices =
                append(appenderToken(), items).then().statusCode(200).extract().path("results.index");
        return indices.stream().map(Number::longValue).toList();
    }

    /** A KYC decision, a grant naming it, and {@code usages} usage entries naming the grant, for one subject. */
    public List<Long> appendChain(String subject, int usages) {
        long kyc = appendOk(List.of(item("kyc.decision", kycDecision(subject)))).get(0);
        long grant =
                appendOk(List.of(item("grant.issued", grant(subject, kyc)))).get(0);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < usages; i++) {
            items.add(item("usage", usage(subject, grant, 10 + i, 20 + i)));
        }
        List<Long> all = new ArrayList<>(List.of(kyc, grant));
        if (usages > 0) {
            all.addAll(appendOk(items));
        }
        return all;
    }

    public static Map<String, Object> kycDecision(String subject) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("applicationId", "app-" + UUID.randomUUID());
        entry.put("subject", subject);
        entry.put("outcome", "APPROVED");
        entry.put("tier", 2);
        entry.put("assuranceLevel", 2);
        entry.put("reviewers", List.of("reviewer-one"));
        entry.put("decidedAt", "2026-11-01T10:00:00Z");
        entry.put("reasonCode", "checks-passed");
        return entry;
    }

    public static Map<String, Object> grant(String subject, long kycLeaf) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("grantId", "grant-" + UUID.randomUUID());
        entry.put("subject", subject);
        entry.put("models", List.of("sim-medium"));
        entry.put("purposeCommitment", "ab".repeat(32));
        entry.put("tier", 2);
        entry.put("validFrom", "2026-11-01T00:00:00Z");
        entry.put("validUntil", "2027-01-31T00:00:00Z");
        entry.put("quota", Map.of("rpm", 30, "tokenBudget", 5_000_000));
        entry.put("kycLeaf", kycLeaf);
        entry.put("actor", "policy-admin-one");
        entry.put("reason", "tier 2 approved");
        return entry;
    }

    public static Map<String, Object> usage(String subject, long grantLeaf, int inputTokens, int outputTokens) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("subject", subject);
        entry.put("model", "sim-medium");
        entry.put("endpoint", "/v1/chat/completions");
        entry.put("grantId", "grant-x");
        entry.put("grantLeaf", grantLeaf);
        entry.put("decisionId", "decision-" + UUID.randomUUID());
        entry.put("policyVersion", "policy-v1");
        entry.put("inputTokens", inputTokens);
        entry.put("outputTokens", outputTokens);
        entry.put("status", "ok");
        entry.put("latencyMs", 12);
        entry.put("startedAt", "2026-11-02T10:00:00Z");
        entry.put("finishedAt", "2026-11-02T10:00:01Z");
        entry.put("promptCommitment", "cd".repeat(32));
        return entry;
    }

    /** Publishes a checkpoint now (as the regulator) and returns its signed note. */
    public String publishCheckpoint() {
        return given().auth()
                .oauth2(keycloak.userToken("greg"))
                .post(url + "/api/v1/checkpoints")
                .then()
                .statusCode(200)
                .extract()
                .path("note");
    }

    public String verifierKey() {
        return given().get(url + "/api/v1/public-key")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }
}
