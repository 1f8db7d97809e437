package org.vettedaccess.contracts.policy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tripwire rule's current version as admins, regulators and the gateways read it ({@code GET /api/v1/tripwires}).
 *
 * @param kind REFUSAL_RATE, ERROR_RATE, OFF_HOURS, SUBJECT_TOKENS_PER_HOUR or CALLS_FROM_SCOPE
 * @param multiple SUBJECT_TOKENS_PER_HOUR: the multiple of the subject's 7-day median that trips it
 * @param action what a trip engages: KILL_SWITCH (a MODEL kill switch on the rule's model) or SUSPEND_GRANT (the
 *     grant the subject called with)
 * @param leafIndex the version's {@code tripwire.changed} leaf
 * @param lastTrippedAt the rule's latest trip, if any: the gateways count a window from then on, since calls before
 *     it are what tripped it
 * @param scope CALLS_FROM_SCOPE: INSTITUTION or COUNTRY, as a kill switch's scope; null for the other kinds
 * @param scopeValue CALLS_FROM_SCOPE: the bare ROR id or the country code a call to the model trips it from
 * @param engagedScopes CALLS_FROM_SCOPE: the engaged INSTITUTION and COUNTRY kill switches that cover the model, from
 *     whose scopes no call should be counted at all (the control-failure check, ADR 0045); empty otherwise
 */
public record TripwireRule(
        UUID id,
        int version,
        String kind,
        String model,
        int windowSeconds,
        int thresholdPercent,
        int minCalls,
        double multiple,
        long baselineFloorTokens,
        int allowedFromHour,
        int allowedToHour,
        String action,
        boolean active,
        String definedBy,
        Instant definedAt,
        long leafIndex,
        Instant lastTrippedAt,
        String scope,
        String scopeValue,
        List<EngagedScope> engagedScopes) {

    public TripwireRule {
        engagedScopes = engagedScopes == null ? List.of() : List.copyOf(engagedScopes);
    }

    /**
     * An engaged kill switch whose scope a CALLS_FROM_SCOPE rule's model must see no calls from.
     *
     * @param switchId the kill switch
     * @param scope INSTITUTION or COUNTRY
     * @param value the bare ROR id or the country code
     * @param engagedAt when it took effect: calls starting more than the propagation bound later should not exist
     */
    public record EngagedScope(UUID switchId, String scope, String value, Instant engagedAt) {}
}
