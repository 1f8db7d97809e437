package org.vettedaccess.e2e.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vettedaccess.suite.LocalSuite;

/**
 * The usage-ledger as its callers use it: services append with their service accounts, each only the entry types
 * it owns, and people read.
 */
public final class Ledger {

    /** The service accounts that append. */
    public static final List<String> APPENDERS = List.of("gateway", "kyc-service", "access-policy");

    /**
     * Every entry type the ledger knows, with the one service account that owns it (docs/architecture.md);
     * "ledger" marks the types only the ledger itself writes (disclosures and their reads).
     */
    public static final Map<String, String> OWNERS = owners();

    private static Map<String, String> owners() {
        Map<String, String> owners = new LinkedHashMap<>();
        owners.put("usage", "gateway");
        owners.put("key.issued", "gateway");
        owners.put("key.revoked", "gateway");
        owners.put("kyc.decision", "kyc-service");
        for (String type : List.of(
                "grant.issued",
                "grant.changed",
                "grant.suspended",
                "grant.revoked",
                "grant.expired",
                "handoff.refused",
                "killswitch.engaged",
                "killswitch.released",
                "killswitch.release-requested",
                "model.registered",
                "model.changed",
                "model.change-requested",
                "tier.changed",
                "tier.change-requested",
                "incident.reported",
                "incident.acknowledged",
                "incident.triaged",
                "incident.mitigated",
                "incident.disclosed",
                "incident.rejected",
                "tripwire.changed",
                "tripwire.tripped")) {
            owners.put(type, "access-policy");
        }
        owners.put("disclosure", "ledger");
        owners.put("disclosure.read", "ledger");
        return java.util.Collections.unmodifiableMap(owners);
    }

    private final String url;
    private final Keycloak keycloak;

    public Ledger(LocalSuite suite, Keycloak keycloak) {
        this.url = suite.serviceUrl("usage-ledger");
        this.keycloak = keycloak;
    }

    public String url() {
        return url;
    }

    /** A client-credentials token of one of the suite's service accounts. */
    public String serviceToken(String client) {
        return keycloak.clientToken(client, client + "-demo-secret");
    }

    /** A token of the service account that owns {@code type}. */
    public String appenderToken(String type) {
        String owner = OWNERS.get(type);
        if (owner == null || owner.equals("ledger")) {
            throw new IllegalArgumentException("no service account appends '" + type + "'");
        }
        return serviceToken(owner);
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

    /**
     * Appends as the owner of the items' type (one owner for all of them) and returns the indices, failing the
     * test on anything but 200.
     */
    public List<Long> appendOk(List<Map<String, Object>> items) {
        String type = (String) items.get(0).get("type");
        for (Map<String, Object> item : items) {
            if (!OWNERS.get(type).equals(OWNERS.get((String) item.get("type")))) {
                throw new IllegalArgumentException("one request holds the entries of one appender");
            }
        }
        List<Number> indices = append(appenderToken(type), items)
                .then()
                .statusCode(200)
                .extract()
                .path("results.index");
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

    /**
     * A valid entry of {@code type} about {@code subject}, for every type in {@link #OWNERS}; a usage names
     * {@code grantLeaf} and a grant {@code kycLeaf}, earlier leaves of the same subject, so that the log's chain
     * still verifies (LedgerVerificationTest runs the verifier over the whole log).
     */
    public static Map<String, Object> sample(String type, String subject, long kycLeaf, long grantLeaf) {
        Map<String, Object> entry = new HashMap<>();
        switch (type) {
            case "usage" -> entry.putAll(usage(subject, grantLeaf, 1, 1));
            case "kyc.decision" -> entry.putAll(kycDecision(subject));
            case "key.issued", "key.revoked" -> {
                entry.put("keyId", "key-" + UUID.randomUUID());
                entry.put("subject", subject);
                entry.put("grantId", "grant-x");
                entry.put("expiresAt", "2027-01-31T00:00:00Z");
                entry.put("actor", subject);
            }
            case "disclosure" -> {
                entry.put("pseudonym", "forged-pseudonym");
                entry.put("requestedBy", "policy-admin-one");
                entry.put("legalBasis", "none");
                entry.put("reason", "forged");
                entry.put("disclosedTo", "greg");
                entry.put("disclosedAt", "2026-11-01T10:00:00Z");
            }
            case "disclosure.read" -> {
                entry.put("reader", "regulator-one");
                entry.put("pseudonyms", List.of("forged-pseudonym"));
                entry.put("readAt", "2026-11-01T10:00:00Z");
                entry.put("via", "GET /api/v1/entries");
            }
            default -> {
                if (type.startsWith("grant.")) {
                    entry.putAll(grant(subject, kycLeaf));
                } else if (type.equals("handoff.refused")) {
                    entry.put("handoffId", "handoff-" + UUID.randomUUID());
                    entry.put("subject", subject);
                    entry.put("kycLeaf", kycLeaf);
                    entry.put("tier", 2);
                    entry.put("models", List.of("sim-medium"));
                    entry.put("reasonCommitment", "cd".repeat(32));
                    entry.put("actor", "policy-admin-one");
                    entry.put("at", "2026-11-01T10:00:00Z");
                } else if (type.startsWith("killswitch.")) {
                    entry.put("switchId", "switch-" + UUID.randomUUID());
                    entry.put("scope", Map.of("models", List.of("sim-medium")));
                    entry.put("reason", "e2e");
                    entry.put("actors", List.of("policy-admin-one"));
                } else if (type.startsWith("tripwire.")) {
                    entry.putAll(tripwire(type));
                } else if (type.startsWith("model.")) {
                    entry.putAll(model("model-" + UUID.randomUUID(), 1));
                } else if (type.startsWith("tier.")) {
                    // A version no real change reaches, so a sample never passes for a tier's real version.
                    entry.putAll(tier(3, 1_000_000));
                } else if (type.equals("incident.reported")) {
                    entry.put("reportId", "report-" + UUID.randomUUID());
                    entry.put("model", "sim-medium");
                    entry.put("category", "OTHER");
                    entry.put("severity", "LOW");
                    entry.put("textCommitment", "ab".repeat(32));
                    entry.put("receiptLeaves", List.of());
                    entry.put("reporter", subject);
                    entry.put("acknowledgeBy", "2026-11-15T10:00:00Z");
                    entry.put("mitigateBy", "2027-01-30T10:00:00Z");
                    entry.put("embargoUntil", "2027-01-30T10:00:00Z");
                } else if (type.startsWith("incident.")) {
                    entry.put("reportId", "report-" + UUID.randomUUID());
                    entry.put("reportLeaf", kycLeaf);
                    entry.put("model", "sim-medium");
                    entry.put("severity", "LOW");
                    entry.put("actor", "policy-admin-one");
                    entry.put("reason", "e2e");
                } else {
                    throw new IllegalArgumentException("no sample for '" + type + "'");
                }
            }
        }
        return entry;
    }

    /** A tripwire rule version, or a trip of it. */
    public static Map<String, Object> tripwire(String type) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("ruleId", UUID.randomUUID().toString());
        entry.put("kind", "REFUSAL_RATE");
        entry.put("model", "sim-medium");
        entry.put("action", "KILL_SWITCH");
        entry.put("actors", List.of("policy-admin-one"));
        if (type.equals("tripwire.changed")) {
            entry.put("version", 1);
            entry.put("params", Map.of("windowSeconds", 30, "minCalls", 10, "thresholdPercent", 50));
            entry.put("active", true);
        } else {
            entry.put("tripId", UUID.randomUUID().toString());
            entry.put("ruleVersion", 1);
            entry.put("ruleLeaf", 0);
            entry.put("figures", Map.of("windowSeconds", 30, "calls", 10, "refusals", 6, "contentFilters", 0));
            entry.put("switchId", UUID.randomUUID().toString());
            entry.put("trippedAt", "2026-11-01T10:00:00Z");
        }
        return entry;
    }

    /** A model.* entry: a systemic-risk model above 10^25 FLOP, with its published model card. */
    public static Map<String, Object> model(String modelId, int version) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("modelId", modelId);
        entry.put("upstreamRoute", "sim");
        entry.put("trainingFlop", 3.1e25);
        entry.put("evalFlags", List.of("cbrn-uplift"));
        entry.put("riskClass", "SYSTEMIC");
        entry.put("requiredTier", 3);
        entry.put("status", "ACTIVE");
        entry.put("version", version);
        entry.put(
                "disclosures",
                List.of(Map.of(
                        "kind",
                        "model-card",
                        "url",
                        "https://lab.example.org/cards/" + modelId,
                        "sha256",
                        "ef".repeat(32))));
        entry.put("actors", List.of("policy-admin-one"));
        return entry;
    }

    /** A tier.* entry: a whole tier version. */
    public static Map<String, Object> tier(int tier, int version) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("tier", tier);
        entry.put("version", version);
        entry.put("minAssurance", 3);
        entry.put("reviewers", 2);
        entry.put("purposeRequired", true);
        entry.put("rescreenDays", 30);
        entry.put(
                "limits",
                Map.of("rpm", 10, "inputTpm", 20_000, "outputTpm", 5_000, "maxTokens", 4096, "tokenBudget", 1_000_000));
        entry.put("endpoints", List.of("/v1/chat/completions"));
        entry.put("maxGrantDays", 90);
        entry.put("keyDefaultDays", 30);
        entry.put("keyMaxDays", 90);
        entry.put("autoGrant", false);
        entry.put("actors", List.of("policy-admin-one"));
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
