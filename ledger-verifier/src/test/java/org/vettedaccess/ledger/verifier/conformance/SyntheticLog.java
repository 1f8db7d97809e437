package org.vettedaccess.ledger.verifier.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.ScopeTags;

/**
 * A log built leaf by leaf as the services write it (the field tables of usage-ledger's EntryType), with a clock
 * the test moves. Each method appends one leaf and returns its index; {@link #last()} lets a test change it.
 */
final class SyntheticLog {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ALICE = "pseudonym-alice";
    static final String RITA = "pseudonym-rita";
    static final String RAVI = "pseudonym-ravi";
    static final String PAULA = "pseudonym-paula";
    static final String PETE = "pseudonym-pete";

    final List<ObjectNode> leaves = new ArrayList<>();
    Instant clock = Instant.parse("2026-11-01T10:00:00Z");

    SyntheticLog tick(long millis) {
        clock = clock.plusMillis(millis);
        return this;
    }

    ObjectNode last() {
        return leaves.get(leaves.size() - 1);
    }

    long append(String type, ObjectNode leaf) {
        leaf.put("type", type);
        leaf.put("loggedAt", clock.toString());
        leaves.add(leaf);
        tick(10);
        return leaves.size() - 1;
    }

    long tier(int tier, int version, String... actors) {
        ObjectNode leaf = JSON.createObjectNode();
        leaf.put("tier", tier).put("version", version);
        leaf.put("minAssurance", tier).put("reviewers", tier == 1 ? 0 : tier - 1);
        leaf.put("purposeRequired", tier == 3);
        leaf.putObject("limits")
                .put("rpm", 60 / tier)
                .put("inputTpm", 100_000 / tier)
                .put("outputTpm", 20_000 / tier)
                .put("maxTokens", 4096);
        if (tier > 1) {
            ((ObjectNode) leaf.get("limits")).put("tokenBudget", tier == 2 ? 5_000_000 : 1_000_000);
        }
        leaf.putArray("endpoints").add("/v1/chat/completions").add("/v1/embeddings");
        leaf.put("maxGrantDays", 90)
                .put("keyDefaultDays", 30)
                .put("keyMaxDays", 90)
                .put("autoGrant", tier == 1);
        actors(leaf, actors);
        return append("tier.changed", leaf);
    }

    long model(String type, String id, int requiredTier, String status, int version, String... actors) {
        ObjectNode leaf = JSON.createObjectNode();
        leaf.put("modelId", id).put("upstreamRoute", "sim").put("trainingFlop", requiredTier == 3 ? 3e25 : 1e22);
        leaf.putArray("evalFlags");
        leaf.put("riskClass", requiredTier == 3 ? "SYSTEMIC" : "STANDARD").put("requiredTier", requiredTier);
        leaf.put("status", status).put("version", version);
        leaf.putArray("disclosures");
        actors(leaf, actors);
        return append(type, leaf);
    }

    long kyc(String application, String outcome, int tier, String... reviewers) {
        ObjectNode leaf = JSON.createObjectNode();
        leaf.put("applicationId", application).put("subject", ALICE).put("outcome", outcome);
        leaf.put("tier", tier).put("assuranceLevel", outcome.equals("APPROVED") ? tier : 0);
        ArrayNode list = leaf.putArray("reviewers");
        for (String reviewer : reviewers) {
            list.add(reviewer);
        }
        leaf.put("decidedAt", clock.toString()).put("reasonCode", "checks-passed");
        if (outcome.equals("APPROVED")) {
            leaf.putObject("screening")
                    .put("candidates", 1)
                    .put("cleared", 1)
                    .put("clearingReviewers", 2)
                    .put("strong", 0)
                    .put("trueMatches", 0)
                    .put("highestScoreMillis", 610);
            leaf.put("validUntil", clock.plus(Duration.ofDays(365)).toString());
        }
        return append("kyc.decision", leaf);
    }

    long grant(String type, String grantId, int tier, long kycLeaf, String... models) {
        ObjectNode leaf = JSON.createObjectNode();
        leaf.put("grantId", grantId).put("subject", ALICE);
        ArrayNode list = leaf.putArray("models");
        for (String model : models) {
            list.add(model);
        }
        leaf.put("purposeCommitment", "ab".repeat(32)).put("tier", tier);
        leaf.put("validFrom", clock.minusSeconds(1).toString());
        leaf.put("validUntil", clock.plus(Duration.ofDays(30)).toString());
        leaf.putObject("quota").put("rpm", 60);
        leaf.put("kycLeaf", kycLeaf).put("actor", PAULA).put("reason", "e2e");
        return append(type, leaf);
    }

    long key(String type, String keyId, String grantId) {
        ObjectNode leaf = JSON.createObjectNode();
        leaf.put("keyId", keyId).put("subject", ALICE).put("grantId", grantId);
        // A revocation's leaf says when the key stops working: now (a rotation: the end of its grace period).
        Instant expires = type.equals("key.revoked") ? clock : clock.plus(Duration.ofDays(30));
        leaf.put("expiresAt", expires.toString()).put("actor", ALICE);
        return append(type, leaf);
    }

    long killSwitch(String type, String switchId, String scopeKind, String scopeValue, String... actors) {
        ObjectNode leaf = JSON.createObjectNode();
        leaf.put("switchId", switchId);
        ObjectNode scope = leaf.putObject("scope");
        if (scopeKind.equals("global")) {
            scope.put("global", true);
        } else {
            scope.putArray(scopeKind).add(scopeValue);
        }
        leaf.put("reason", "e2e");
        actors(leaf, actors);
        return append(type, leaf);
    }

    /** A researcher's report, to be first answered within {@code acknowledgeWithin}. */
    long report(String reportId, String severity, Duration acknowledgeWithin) {
        ObjectNode leaf = JSON.createObjectNode();
        leaf.put("reportId", reportId).put("model", "sim-small").put("category", "SAFEGUARD_BYPASS");
        leaf.put("severity", severity).put("textCommitment", "ef".repeat(32));
        leaf.putArray("receiptLeaves").add(leaves.size() - 1);
        leaf.put("reporter", ALICE);
        leaf.put("acknowledgeBy", clock.plus(acknowledgeWithin).toString());
        leaf.put("mitigateBy", clock.plus(acknowledgeWithin.multipliedBy(4)).toString());
        leaf.put("embargoUntil", clock.plus(Duration.ofDays(90)).toString());
        return append("incident.reported", leaf);
    }

    /** The lab's answer to a report: {@code incident.acknowledged}, {@code incident.triaged}, … */
    long answer(String type, String reportId, long reportLeaf) {
        ObjectNode leaf = JSON.createObjectNode();
        leaf.put("reportId", reportId).put("reportLeaf", reportLeaf).put("model", "sim-small");
        leaf.put("severity", "CRITICAL").put("actor", PAULA);
        return append(type, leaf);
    }

    /** A model rule's trip that engaged kill switch {@code switchId} (its own leaf is the caller's to add). */
    long modelTrip(String model, String switchId) {
        ObjectNode leaf = trip("REFUSAL_RATE", model, "KILL_SWITCH");
        leaf.put("switchId", switchId);
        leaf.putObject("figures").put("windowSeconds", 20).put("calls", 10).put("refusals", 9);
        return append("tripwire.tripped", leaf);
    }

    /** A subject rule's trip that suspended {@code grantId} (its grant.suspended leaf is the caller's to add). */
    long grantTrip(String model, String grantId) {
        ObjectNode leaf = trip("SUBJECT_TOKENS_PER_HOUR", model, "SUSPEND_GRANT");
        leaf.put("grantId", grantId).put("subject", ALICE);
        leaf.putObject("figures").put("tokensThisHour", 1_500).put("baselineTokensPerHour", 400);
        return append("tripwire.tripped", leaf);
    }

    private ObjectNode trip(String kind, String model, String action) {
        ObjectNode leaf = JSON.createObjectNode();
        leaf.put("tripId", "trip-" + leaves.size()).put("ruleId", "rule-1").put("ruleVersion", 1);
        leaf.put("ruleLeaf", 0).put("kind", kind).put("model", model).put("action", action);
        leaf.putArray("actors").add("pseudonym-gateway");
        leaf.put("trippedAt", clock.toString());
        return leaf;
    }

    /** A call: started now, lasting 200 ms, logged when it ended. */
    long usage(String grantId, long grantLeaf, String model, String keyId, int input, int output) {
        ObjectNode leaf = JSON.createObjectNode();
        leaf.put("subject", ALICE).put("model", model).put("endpoint", "/v1/chat/completions");
        leaf.put("grantId", grantId).put("grantLeaf", grantLeaf);
        leaf.put("decisionId", "decision-" + leaves.size()).put("policyVersion", "v1");
        leaf.put("inputTokens", input)
                .put("outputTokens", output)
                .put("status", "ok")
                .put("latencyMs", 200);
        leaf.put("startedAt", clock.toString());
        tick(200);
        leaf.put("finishedAt", clock.toString());
        leaf.put("promptCommitment", "cd".repeat(32));
        if (keyId != null) {
            leaf.put("keyId", keyId);
        }
        return append("usage", leaf);
    }

    /**
     * Tags the last usage leaf as a gateway holding {@code key} would (ADR 0046): a commitment of its own (each call's
     * salt differs) and a tag for each of {@code institution} and {@code country} that is not null.
     */
    SyntheticLog tag(ScopeTags key, String institution, String country) {
        ObjectNode leaf = last();
        String commitment = Hashes.hex(Hashes.sha256(("call-" + leaves.size()).getBytes(StandardCharsets.UTF_8)));
        leaf.put("promptCommitment", commitment);
        ObjectNode tags = leaf.putObject(ScopeTags.FIELD).put("key", key.id());
        if (institution != null) {
            tags.put(ScopeTags.INSTITUTION, key.tag(commitment, ScopeTags.INSTITUTION, institution));
        }
        if (country != null) {
            tags.put(ScopeTags.COUNTRY, key.tag(commitment, ScopeTags.COUNTRY, country));
        }
        return this;
    }

    ConformanceReport check(long from) {
        return check(from, List.of());
    }

    /** Checks {@code [from, end)} with the regulator's scope-tag keys. */
    ConformanceReport check(long from, List<ScopeTags> scopeKeys) {
        Conformance conformance = new Conformance(Duration.ofSeconds(1), scopeKeys);
        for (int i = 0; i < leaves.size(); i++) {
            try {
                conformance.add(i, JSON.writeValueAsBytes(leaves.get(i)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return conformance.check(from, leaves.size());
    }

    private static void actors(ObjectNode leaf, String... actors) {
        ArrayNode list = leaf.putArray("actors");
        for (String actor : actors) {
            list.add(actor);
        }
    }
}
