package org.vettedaccess.gateway.tripwire;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vettedaccess.contracts.policy.TripwireRule;

/**
 * Whether a window trips a rule, and the figures a trip reports (access-policy checks them against the rule
 * version again). Null when the rule does not trip.
 */
final class RuleChecks {

    private RuleChecks() {}

    static Map<String, Long> modelFigures(TripwireRule rule, Windows.Sums sums) {
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("windowSeconds", (long) rule.windowSeconds());
        figures.put("calls", sums.calls());
        switch (rule.kind()) {
            case "OFF_HOURS" -> {
                figures.put("callsOutsideHours", sums.outsideHours());
                return sums.outsideHours() >= rule.minCalls() ? figures : null;
            }
            case "REFUSAL_RATE" -> {
                figures.put("refusals", sums.refusals());
                figures.put("contentFilters", sums.contentFilters());
                return rateTrips(rule, sums.calls(), sums.refusals() + sums.contentFilters()) ? figures : null;
            }
            case "ERROR_RATE" -> {
                figures.put("errors", sums.errors());
                figures.put("timeouts", sums.timeouts());
                return rateTrips(rule, sums.calls(), sums.errors() + sums.timeouts()) ? figures : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** CALLS_FROM_SCOPE's own check: at least minCalls from the rule's scope in the window; null otherwise. */
    static Map<String, Long> scopeFigures(TripwireRule rule, long calls, long callsFromScope) {
        if (callsFromScope < Math.max(1, rule.minCalls())) {
            return null;
        }
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("windowSeconds", (long) rule.windowSeconds());
        figures.put("calls", calls);
        figures.put("callsFromScope", callsFromScope);
        return figures;
    }

    /**
     * CALLS_FROM_SCOPE's control-failure check: any call started from an engaged switch's scope after the bound is
     * one access-policy should have refused; null when there is none.
     */
    static Map<String, Long> controlFailureFigures(TripwireRule rule, long callsInEngagedScope) {
        if (callsInEngagedScope < 1) {
            return null;
        }
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("windowSeconds", (long) rule.windowSeconds());
        figures.put("callsInEngagedScope", callsInEngagedScope);
        return figures;
    }

    /**
     * The first start second that must see no call from an engaged switch's scope: the switch took effect at
     * {@code engagedAt}, and a call may start up to the propagation bound (1 s) later; every call starting in the
     * second two after the engaged second started more than 1 s after it.
     */
    static long firstSecondAfterBound(java.time.Instant engagedAt) {
        return engagedAt.getEpochSecond() + 2;
    }

    /** At least minCalls in the window, and at least thresholdPercent of them hits (integers: no rounding). */
    static boolean rateTrips(TripwireRule rule, long calls, long hits) {
        return calls >= rule.minCalls() && calls > 0 && hits * 100 >= (long) rule.thresholdPercent() * calls;
    }

    /** The multiple in hundredths, as access-policy stores it. */
    static long multiplePercent(TripwireRule rule) {
        return Math.round(rule.multiple() * 100);
    }

    /** Whether this hour's tokens could trip the rule at all: the baseline is never below the floor. */
    static boolean overFloor(TripwireRule rule, long tokensThisHour) {
        return tokensThisHour * 100 > rule.baselineFloorTokens() * multiplePercent(rule);
    }

    /** The figures of a subject rule's trip, or null if this hour's tokens are within the rule. */
    static Map<String, Long> subjectFigures(TripwireRule rule, long tokensThisHour, long[] history) {
        long median = Windows.median(history);
        long baseline = Math.max(median, rule.baselineFloorTokens());
        if (tokensThisHour * 100 <= baseline * multiplePercent(rule)) {
            return null;
        }
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("tokensThisHour", tokensThisHour);
        figures.put("medianTokensPerHour", median);
        figures.put("historyHours", (long) history.length);
        figures.put("baselineTokensPerHour", baseline);
        return figures;
    }
}
