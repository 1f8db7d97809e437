package org.vettedaccess.ledger.verifier.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vettedaccess.ledger.core.ScopeTags;
import org.vettedaccess.ledger.verifier.conformance.Timeline.Version;

/**
 * The policy rebuilt from the leaves alone: the catalog, the tier versions, the grants, the KYC decisions, the keys
 * and the kill switches, each as a timeline, and the usage leaves in a compact form.
 *
 * <p>When a leaf took effect: a permissive change (a grant issued or reinstated, a model or tier change, a KYC
 * approval, a release) is appended before it is committed, so it is in force from its {@code loggedAt} on at the
 * earliest. A restrictive change (a suspension, revocation, expiry, a kill switch engaged) is in force at once and
 * its leaf may reach the ledger later through an outbox: it counts from the time its producer wrote in the leaf
 * ({@code at}, a KYC decision's {@code decidedAt}, a revoked key's {@code expiresAt}) where there is one, otherwise from {@code loggedAt}, which
 * can only be later than the truth and so never invents a violation.
 */
final class PolicyReplay {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A usage leaf, only the fields the rules read (there are millions of these). */
    record Usage(
            long index,
            String subject,
            String model,
            String endpoint,
            String grantId,
            long grantLeaf,
            String keyId,
            long inputTokens,
            long outputTokens,
            Instant startedAt,
            Instant finishedAt,
            Instant loggedAt,
            Tags tags) {}

    /**
     * A usage leaf's keyed scope tags (ADR 0046): the key id, and, only when a key to test them was given, the
     * leaf's commitment (32 bytes) then the institution's and the country's tags (16 bytes each, absent: null).
     */
    record Tags(String keyId, byte[] commitment, byte[] institution, byte[] country) {}

    final Map<Long, Version> policyLeaves = new HashMap<>();
    final Map<String, Timeline> grants = new HashMap<>();
    final Map<String, Timeline> models = new HashMap<>();
    final Map<Long, Timeline> tiers = new HashMap<>();
    final Map<String, Timeline> kycApplications = new HashMap<>();
    final Map<String, Timeline> kycSubjects = new HashMap<>();
    final Map<String, List<Version>> keys = new HashMap<>();
    final Map<String, List<Version>> switches = new LinkedHashMap<>();
    final List<Usage> usages = new ArrayList<>();
    /** {@code incident.reported} leaves by report id. */
    final Map<String, Version> reports = new LinkedHashMap<>();
    /** Each report's first answer (the earliest-logged status leaf), by report id. */
    final Map<String, Version> firstAnswers = new HashMap<>();
    /** {@code tripwire.tripped} leaves, each in force from its trip time. */
    final List<Version> trips = new ArrayList<>();

    private final Map<String, String> strings = new HashMap<>();
    private long size;
    private Instant latest = Instant.EPOCH;

    /**
     * The ids of the scope-tag keys given: a tagged leaf under one of them keeps its commitment and tags, any other
     * only its key id (a million leaves hold no bytes no key can test).
     */
    private final Set<String> tagKeys;

    PolicyReplay(Set<String> tagKeys) {
        this.tagKeys = Set.copyOf(tagKeys);
    }

    /** Leaves seen: one past the highest index. */
    long size() {
        return size;
    }

    /** Adds one leaf (its canonical JSON bytes); leaves may come in any order, each once. */
    void add(long index, byte[] bytes) {
        JsonNode leaf;
        try {
            leaf = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("leaf " + index + " is not JSON");
        }
        size = Math.max(size, index + 1);
        String type = leaf.path("type").asText();
        Instant logged = time(leaf, "loggedAt", Instant.EPOCH);
        latest = logged.isAfter(latest) ? logged : latest;
        if (type.equals("usage")) {
            usages.add(new Usage(
                    index,
                    intern(leaf.path("subject").asText()),
                    intern(leaf.path("model").asText()),
                    intern(leaf.path("endpoint").asText()),
                    intern(leaf.path("grantId").asText()),
                    leaf.path("grantLeaf").asLong(-1),
                    leaf.hasNonNull("keyId") ? intern(leaf.get("keyId").asText()) : null,
                    leaf.path("inputTokens").asLong(),
                    leaf.path("outputTokens").asLong(),
                    time(leaf, "startedAt", logged),
                    time(leaf, "finishedAt", logged),
                    logged,
                    tags(leaf)));
            return;
        }
        if (type.startsWith("incident.") || type.equals("tripwire.tripped")) {
            addIncidentOrTrip(index, type, logged, leaf);
            return;
        }
        boolean restrictive = type.equals("grant.suspended")
                || type.equals("grant.revoked")
                || type.equals("grant.expired")
                || type.equals("key.revoked")
                || type.equals("killswitch.engaged");
        Instant at = restrictive ? earlier(time(leaf, "at", logged), logged) : logged;
        if (type.equals("key.revoked")) {
            // The leaf says when the key stops working: now, or the end of a rotation's grace period.
            at = time(leaf, "expiresAt", logged);
        }
        if (type.equals("kyc.decision") && !leaf.path("outcome").asText().equals("APPROVED")) {
            at = earlier(time(leaf, "decidedAt", logged), logged);
        }
        Version version = new Version(index, type, at, leaf);
        if (type.startsWith("grant.")) {
            policyLeaves.put(index, version);
            timeline(grants, leaf.path("grantId").asText()).add(version);
        } else if (type.equals("kyc.decision")) {
            policyLeaves.put(index, version);
            timeline(kycApplications, leaf.path("applicationId").asText()).add(version);
            timeline(kycSubjects, leaf.path("subject").asText()).add(version);
        } else if (type.equals("model.registered") || type.equals("model.changed")) {
            policyLeaves.put(index, version);
            timeline(models, leaf.path("modelId").asText()).add(version);
        } else if (type.equals("tier.changed")) {
            policyLeaves.put(index, version);
            tiers.computeIfAbsent(leaf.path("tier").asLong(), t -> new Timeline())
                    .add(version);
        } else if (type.startsWith("key.")) {
            policyLeaves.put(index, version);
            keys.computeIfAbsent(leaf.path("keyId").asText(), k -> new ArrayList<>())
                    .add(version);
        } else if (type.startsWith("killswitch.")) {
            policyLeaves.put(index, version);
            switches.computeIfAbsent(leaf.path("switchId").asText(), k -> new ArrayList<>())
                    .add(version);
        }
    }

    /**
     * A report counts from its {@code loggedAt}, an answer too (the lab's own time would let it claim an answer on
     * time), a trip from its {@code trippedAt} (restrictive: an earlier time only makes more calls late).
     */
    private void addIncidentOrTrip(long index, String type, Instant logged, JsonNode leaf) {
        if (type.equals("tripwire.tripped")) {
            trips.add(new Version(index, type, earlier(time(leaf, "trippedAt", logged), logged), leaf));
            return;
        }
        Version version = new Version(index, type, logged, leaf);
        String report = leaf.path("reportId").asText();
        if (type.equals("incident.reported")) {
            reports.put(report, version);
        } else {
            firstAnswers.merge(
                    report,
                    version,
                    (a, b) -> b.at().isBefore(a.at()) || (b.at().equals(a.at()) && b.index() < a.index()) ? b : a);
        }
    }

    private Tags tags(JsonNode leaf) {
        JsonNode tags = leaf.get(ScopeTags.FIELD);
        if (tags == null || !tags.isObject()) {
            return null;
        }
        String keyId = intern(tags.path("key").asText());
        if (!tagKeys.contains(keyId)) {
            return new Tags(keyId, null, null, null);
        }
        try {
            return new Tags(
                    keyId,
                    HexFormat.of().parseHex(leaf.path("promptCommitment").asText()),
                    tags.has(ScopeTags.INSTITUTION)
                            ? ScopeTags.decode(tags.get(ScopeTags.INSTITUTION).asText())
                            : null,
                    tags.has(ScopeTags.COUNTRY)
                            ? ScopeTags.decode(tags.get(ScopeTags.COUNTRY).asText())
                            : null);
        } catch (IllegalArgumentException e) {
            return new Tags(keyId, null, null, null); // malformed: the ledger refuses it; here it stays unchecked
        }
    }

    /** The latest {@code loggedAt} of any leaf added: how far the log reaches in time. */
    Instant latest() {
        return latest;
    }

    /** The version of a tier in force at {@code t}. */
    Version tierAt(long tier, Instant t) {
        Timeline timeline = tiers.get(tier);
        return timeline == null ? null : timeline.at(t);
    }

    Version modelAt(String model, Instant t) {
        Timeline timeline = models.get(model);
        return timeline == null ? null : timeline.at(t);
    }

    private static Timeline timeline(Map<String, Timeline> map, String key) {
        return map.computeIfAbsent(key, k -> new Timeline());
    }

    private String intern(String value) {
        return strings.computeIfAbsent(value, v -> v);
    }

    static Instant time(JsonNode leaf, String field, Instant otherwise) {
        if (!leaf.hasNonNull(field)) {
            return otherwise;
        }
        try {
            return Instant.parse(leaf.get(field).asText());
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
