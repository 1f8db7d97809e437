package org.vettedaccess.contracts.policy;

import java.time.Instant;
import java.util.UUID;

/**
 * A tripwire rule's current version as admins, regulators and the gateways read it ({@code GET /api/v1/tripwires}).
 *
 * @param kind REFUSAL_RATE, ERROR_RATE, OFF_HOURS or SUBJECT_TOKENS_PER_HOUR
 * @param multiple SUBJECT_TOKENS_PER_HOUR: the multiple of the subject's 7-day median that trips it
 * @param action what a trip engages: KILL_SWITCH (a MODEL kill switch on the rule's model) or SUSPEND_GRANT (the
 *     grant the subject called with)
 * @param leafIndex the version's {@code tripwire.changed} leaf
 * @param lastTrippedAt the rule's latest trip, if any: the gateways count a window from then on, since calls before
 *     it are what tripped it
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
        Instant lastTrippedAt) {}
