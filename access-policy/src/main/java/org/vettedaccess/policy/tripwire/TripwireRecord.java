package org.vettedaccess.policy.tripwire;

import java.time.Instant;
import java.util.UUID;

/**
 * A rule's current version as admins, regulators and the gateways read it.
 *
 * @param action what a trip engages: KILL_SWITCH (a MODEL kill switch on the rule's model) or SUSPEND_GRANT (the
 *     grant the subject called with)
 * @param leafIndex the version's {@code tripwire.changed} leaf
 * @param lastTrippedAt the rule's latest trip, if any: the gateways count a window from then on, since calls before
 *     it are what tripped it
 */
public record TripwireRecord(
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
        Instant lastTrippedAt) {

    static TripwireRecord of(TripwireRuleEntity r, Instant lastTrippedAt) {
        return new TripwireRecord(
                r.id,
                r.version,
                r.kind,
                r.model,
                r.windowSeconds,
                r.thresholdPercent,
                r.minCalls,
                r.multiplePercent / 100.0,
                r.baselineFloorTokens,
                r.allowedFromHour,
                r.allowedToHour,
                r.action,
                r.active,
                r.definedBy,
                r.definedAt,
                r.leafIndex,
                lastTrippedAt);
    }
}
