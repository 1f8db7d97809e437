package org.vettedaccess.policy.tripwire;

/**
 * A tripwire rule as a policy admin defines it (a new version each time it is put).
 *
 * @param kind REFUSAL_RATE, ERROR_RATE, SUBJECT_TOKENS_PER_HOUR, OFF_HOURS or CALLS_FROM_SCOPE
 * @param model the model the rule watches
 * @param windowSeconds the sliding window of the rate kinds and OFF_HOURS (10 to 600)
 * @param thresholdPercent the rate kinds: trips when this share of the window's calls (or more) refused or failed
 * @param minCalls the rate kinds, OFF_HOURS and CALLS_FROM_SCOPE (default 1 there): the fewest calls in the window before the rule can trip
 * @param multiple SUBJECT_TOKENS_PER_HOUR: trips when a subject's tokens this hour exceed this many times their
 *     baseline (the median of their active hours over the last 7 days, or the floor if higher)
 * @param baselineFloorTokens SUBJECT_TOKENS_PER_HOUR: the least baseline, for subjects with little history
 * @param allowedFromHour OFF_HOURS: the first allowed hour of the day, UTC (0 to 23)
 * @param allowedToHour OFF_HOURS: the hour the allowed time ends, UTC (1 to 24, after allowedFromHour)
 * @param active whether the gateways check it
 * @param scope CALLS_FROM_SCOPE: INSTITUTION or COUNTRY, a kill switch's own vocabulary
 * @param scopeValue CALLS_FROM_SCOPE: the ROR id (bare or {@code https://ror.org/…}, stored bare) or the ISO 3166-1
 *     alpha-2 country code
 */
public record TripwireRequest(
        String kind,
        String model,
        Integer windowSeconds,
        Integer thresholdPercent,
        Integer minCalls,
        Double multiple,
        Long baselineFloorTokens,
        Integer allowedFromHour,
        Integer allowedToHour,
        Boolean active,
        String scope,
        String scopeValue) {}
