package org.vettedaccess.gateway.usage;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.ledger.core.ScopeTags;

/**
 * The ledger's {@code usage} entry for one forwarded call (fields in docs/architecture.md). It carries a salted
 * commitment to the request, never the prompt itself.
 *
 * <p>A call writes its entry twice (the PENDING worst case, then the completion), and only tokens, status and
 * times differ: the fields that never change are encoded once, when the record is made, and each entry is that
 * text with the changing fields appended. (Key order is irrelevant: PostgreSQL stores it as jsonb and the ledger
 * hashes its canonical form.)
 */
public final class UsageRecord {

    private final UUID requestId;
    private final Instant startedAt;
    private final String subject;
    /** {@code {"subject":…,…,"promptCommitment":…} without its closing brace. */
    private final String fixed;

    /**
     * @param subject the caller's pseudonymous subject
     * @param keyId the API key used, or null for an access token
     * @param endpoint the /v1 path called
     * @param scopeKey the scope-tag key (ADR 0046): with one, the entry carries {@code scopeTags} committing to the
     *     decision's institution and country, each tag keyed and bound to this call's {@code promptCommitment}; null:
     *     no tags
     */
    public UsageRecord(
            UUID requestId,
            String subject,
            UUID keyId,
            String endpoint,
            String model,
            Decision decision,
            Instant startedAt,
            String promptCommitment,
            ScopeTags scopeKey) {
        this.requestId = requestId;
        this.subject = subject;
        this.startedAt = startedAt.truncatedTo(ChronoUnit.MILLIS);
        StringBuilder json = new StringBuilder(512).append('{');
        string(json, "subject", subject).append(',');
        string(json, "model", model).append(',');
        string(json, "endpoint", endpoint).append(',');
        string(json, "grantId", decision.grantId().toString()).append(',');
        json.append("\"grantLeaf\":")
                .append(decision.grantLeaf() == null ? 0 : decision.grantLeaf())
                .append(',');
        string(json, "decisionId", decision.decisionId().toString()).append(',');
        string(json, "policyVersion", decision.policyVersion() == null ? "unknown" : decision.policyVersion())
                .append(',');
        string(json, "startedAt", this.startedAt.toString()).append(',');
        string(json, "promptCommitment", promptCommitment);
        if (keyId != null) {
            json.append(',');
            string(json, "keyId", keyId.toString());
        }
        scopeTags(json, scopeKey, decision, promptCommitment);
        this.fixed = json.toString();
    }

    /** The caller's pseudonymous subject. */
    public String subject() {
        return subject;
    }

    /** When the call started, as its usage leaf says (the tripwires count scopes by this second). */
    public Instant startedAt() {
        return startedAt;
    }

    public UUID requestId() {
        return requestId;
    }

    /** The entry as JSON text. */
    public String entry(String status, long inputTokens, long outputTokens, Instant finishedAt) {
        Instant finish = finishedAt.truncatedTo(ChronoUnit.MILLIS);
        StringBuilder json = new StringBuilder(fixed.length() + 160).append(fixed);
        json.append(",\"inputTokens\":").append(Math.max(0, inputTokens));
        json.append(",\"outputTokens\":").append(Math.max(0, outputTokens)).append(',');
        string(json, "status", status);
        json.append(",\"latencyMs\":").append(Math.max(0, finish.toEpochMilli() - startedAt.toEpochMilli()));
        json.append(',');
        string(json, "finishedAt", finish.toString());
        return json.append('}').toString();
    }

    /** {@code ,"scopeTags":{"key":…,"institution":…,"country":…}} for the values the decision names, if any. */
    private static void scopeTags(StringBuilder json, ScopeTags key, Decision decision, String commitment) {
        String institution = present(decision.institution());
        String country = present(decision.country());
        if (key == null || (institution == null && country == null)) {
            return;
        }
        json.append(",\"")
                .append(ScopeTags.FIELD)
                .append("\":{\"key\":\"")
                .append(key.id())
                .append('"');
        if (institution != null) {
            json.append(",\"")
                    .append(ScopeTags.INSTITUTION)
                    .append("\":\"")
                    .append(key.tag(commitment, ScopeTags.INSTITUTION, institution))
                    .append('"');
        }
        if (country != null) {
            json.append(",\"")
                    .append(ScopeTags.COUNTRY)
                    .append("\":\"")
                    .append(key.tag(commitment, ScopeTags.COUNTRY, country))
                    .append('"');
        }
        json.append('}');
    }

    private static String present(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static StringBuilder string(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(value, json);
        return json.append('"');
    }
}
