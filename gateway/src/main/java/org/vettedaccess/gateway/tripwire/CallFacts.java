package org.vettedaccess.gateway.tripwire;

import java.util.UUID;

/**
 * What the tripwires learn from one forwarded call when it ends: never its content, only counts and flags.
 *
 * @param status the usage record's status ({@code ok}, {@code upstream_timeout}, {@code upstream_503}, ...)
 * @param signals what the answer carried (a refusal, a {@code content_filter} finish)
 */
public record CallFacts(
        String model,
        String subject,
        UUID grantId,
        String status,
        long inputTokens,
        long outputTokens,
        AnswerSignals signals) {

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
