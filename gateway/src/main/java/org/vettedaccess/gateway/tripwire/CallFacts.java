package org.vettedaccess.gateway.tripwire;

import java.util.UUID;

/**
 * What the tripwires learn from one forwarded call when it ends: never its content, only counts and flags.
 *
 * @param status the usage record's status ({@code ok}, {@code upstream_timeout}, {@code upstream_503}, ...)
 * @param signals what the answer carried (a refusal, a {@code content_filter} finish)
 * @param institution the subject's institution (bare ROR id) from the decision, or null: CALLS_FROM_SCOPE counts it
 * @param country the subject's country (ISO 3166-1 alpha-2) from the decision, or null
 * @param elapsedMillis how long ago, at the end, the call started: scopes are counted by the start second
 */
public record CallFacts(
        String model,
        String subject,
        UUID grantId,
        String status,
        long inputTokens,
        long outputTokens,
        AnswerSignals signals,
        String institution,
        String country,
        long elapsedMillis) {

    /** A call whose decision named no institution or country. */
    public CallFacts(
            String model,
            String subject,
            UUID grantId,
            String status,
            long inputTokens,
            long outputTokens,
            AnswerSignals signals) {
        this(model, subject, grantId, status, inputTokens, outputTokens, signals, null, null, 0);
    }

    /** The scope fields this call adds to in its start second ({@code i:<ror>}, {@code c:<cc>}); maybe none. */
    java.util.List<String> scopeFields() {
        java.util.List<String> fields = new java.util.ArrayList<>(2);
        if (institution != null && !institution.isBlank()) {
            fields.add(Windows.scopeField("INSTITUTION", institution));
        }
        if (country != null && !country.isBlank()) {
            fields.add(Windows.scopeField("COUNTRY", country));
        }
        return fields;
    }

    /** The one counter field this call adds to besides {@code calls}, or null. */
    String outcome() {
        if (status.equals("upstream_timeout") || status.equals("upstream_idle_timeout")) {
            return Windows.TIMEOUTS;
        }
        if (status.startsWith("upstream_")) {
            return Windows.ERRORS;
        }
        if (signals != null && signals.refusal()) {
            return Windows.REFUSALS;
        }
        if (signals != null && signals.contentFilter()) {
            return Windows.CONTENT_FILTERS;
        }
        return null;
    }
}
