package org.vettedaccess.gateway.tripwire;

import java.util.List;
import java.util.Map;

/**
 * The arithmetic of the tripwire counters, shared by the memory store and the tests (the Redis scripts do the same
 * in Lua). Model counters are per second, kept 15 minutes; a window sums the seconds from {@code now - window + 1}
 * to {@code now}, never those before the rule's last trip (they stopped being served then). Subject counters are
 * tokens per UTC hour, kept 8 days; the baseline is the median of the subject's active hours (hours with use) in
 * the 7 days (168 hours) before the current one.
 */
final class Windows {

    static final String CALLS = "calls";
    static final String REFUSALS = "refusals";
    static final String CONTENT_FILTERS = "contentFilters";
    static final String ERRORS = "errors";
    static final String TIMEOUTS = "timeouts";
    /** The per-second fields, in the order the stores return them. */
    static final List<String> FIELDS = List.of(CALLS, REFUSALS, CONTENT_FILTERS, ERRORS, TIMEOUTS);

    static final int HISTORY_HOURS = 168;
    /** How long a second's model counters are kept: longer than the longest window a rule may have (600 s). */
    static final int SECONDS_KEPT = 900;
    /** How long a subject's hourly counters are kept: the 7 days of history, and a day's slack. */
    static final int HOURS_KEPT = 192;

    private Windows() {}

    /**
     * A window's sums.
     *
     * @param now the store's clock, in epoch seconds
     * @param outsideHours the calls made in seconds outside the asked-for allowed hours
     */
    record Sums(
            long now, long calls, long refusals, long contentFilters, long errors, long timeouts, long outsideHours) {

        Sums plus(long second, long[] counts, int fromHour, int toHour) {
            return new Sums(
                    now,
                    calls + counts[0],
                    refusals + counts[1],
                    contentFilters + counts[2],
                    errors + counts[3],
                    timeouts + counts[4],
                    outsideHours + (Windows.outsideHours(second, fromHour, toHour) ? counts[0] : 0));
        }
    }

    /**
     * The counter field of a CALLS_FROM_SCOPE scope in a model's second: {@code i:<ror>} for an INSTITUTION (the bare
     * ROR id decisions carry), {@code c:<cc>} for a COUNTRY. Counted in the second the call started.
     */
    static String scopeField(String scope, String value) {
        return (scope.equals("INSTITUTION") ? "i:" : "c:") + value;
    }

    /** A scope's sum over a window: the seconds from {@code sinceSecond} (or the window's first) to now. */
    record ScopeAsk(String field, long sinceSecond) {}

    /**
     * A CALLS_FROM_SCOPE window: the model's calls (by end second, since the rule's last trip) and each asked
     * scope's calls (by start second, each from its own first second).
     */
    record ScopeSums(long now, long calls, long[] scoped) {}

    /** The first second a window ending at {@code now} counts. */
    static long firstSecond(long now, int windowSeconds, long sinceSecond) {
        return Math.max(now - windowSeconds + 1, sinceSecond);
    }

    /** Whether a second lies outside the allowed hours [from, to) of its UTC day. */
    static boolean outsideHours(long second, int fromHour, int toHour) {
        long hour = Math.floorMod(second, 86_400L) / 3_600;
        return hour < fromHour || hour >= toHour;
    }

    static long hourOf(long second) {
        return Math.floorDiv(second, 3_600L);
    }

    /** The tokens of the subject's active hours in the 168 hours before {@code currentHour}, sorted. */
    static long[] history(Map<Long, Long> hours, long currentHour) {
        return hours.entrySet().stream()
                .filter(e -> e.getKey() >= currentHour - HISTORY_HOURS && e.getKey() < currentHour)
                .mapToLong(Map.Entry::getValue)
                .filter(tokens -> tokens > 0)
                .sorted()
                .toArray();
    }

    /** The median of sorted values (the mean of the middle two, rounded down, for an even count); 0 for none. */
    static long median(long[] sorted) {
        if (sorted.length == 0) {
            return 0;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
