package org.vettedaccess.policy.tripwire;

import java.util.List;
import java.util.Map;
import org.vettedaccess.policy.killswitch.Scopes;
import org.vettedaccess.support.problem.ProblemException;

/**
 * What each kind of rule needs, and whether a window's figures trip it. The gateways evaluate the rules on their
 * shared counters; access-policy checks the figures they report against the rule version again, so a report can
 * only engage what an admin's rule says, when its own figures cross the rule's threshold.
 */
final class RuleKinds {

    static final String REFUSAL_RATE = "REFUSAL_RATE";
    static final String ERROR_RATE = "ERROR_RATE";
    static final String SUBJECT_TOKENS_PER_HOUR = "SUBJECT_TOKENS_PER_HOUR";
    static final String OFF_HOURS = "OFF_HOURS";
    static final String CALLS_FROM_SCOPE = "CALLS_FROM_SCOPE";
    static final List<String> KINDS =
            List.of(REFUSAL_RATE, ERROR_RATE, SUBJECT_TOKENS_PER_HOUR, OFF_HOURS, CALLS_FROM_SCOPE);

    static final String KILL_SWITCH = "KILL_SWITCH";
    static final String SUSPEND_GRANT = "SUSPEND_GRANT";

    private RuleKinds() {}

    /** Validates a definition and fills in the rule's fields (defaults where a kind does not use a field). */
    static void apply(TripwireRequest request, TripwireRuleEntity rule) {
        if (request == null || request.kind() == null || !KINDS.contains(request.kind())) {
            throw ProblemException.invalidField("kind", "must be one of " + KINDS);
        }
        if (request.model() == null
                || request.model().isBlank()
                || request.model().length() > 200) {
            throw ProblemException.invalidField("model", "must name a model");
        }
        rule.kind = request.kind();
        rule.model = request.model();
        rule.active = request.active() == null || request.active();
        rule.windowSeconds = 0;
        rule.thresholdPercent = 0;
        rule.minCalls = 0;
        rule.multiplePercent = 0;
        rule.baselineFloorTokens = 0;
        rule.allowedFromHour = 0;
        rule.allowedToHour = 24;
        rule.scopeKind = null;
        rule.scopeValue = null;
        switch (request.kind()) {
            case SUBJECT_TOKENS_PER_HOUR -> {
                if (request.multiple() == null || !(request.multiple() >= 1.5) || request.multiple() > 1000) {
                    throw ProblemException.invalidField("multiple", "must be between 1.5 and 1000");
                }
                if (request.baselineFloorTokens() == null
                        || request.baselineFloorTokens() < 1
                        || request.baselineFloorTokens() > 1_000_000_000L) {
                    throw ProblemException.invalidField("baselineFloorTokens", "must be between 1 and 10^9");
                }
                rule.multiplePercent = (int) Math.round(request.multiple() * 100);
                rule.baselineFloorTokens = request.baselineFloorTokens();
                rule.action = SUSPEND_GRANT;
            }
            case OFF_HOURS -> {
                window(request, rule);
                Integer from = request.allowedFromHour();
                Integer to = request.allowedToHour();
                if (from == null || from < 0 || from > 23) {
                    throw ProblemException.invalidField("allowedFromHour", "must be an hour, 0 to 23 (UTC)");
                }
                if (to == null || to <= from || to > 24) {
                    throw ProblemException.invalidField("allowedToHour", "must be after allowedFromHour, at most 24");
                }
                rule.allowedFromHour = from;
                rule.allowedToHour = to;
                rule.action = KILL_SWITCH;
            }
            case CALLS_FROM_SCOPE -> {
                TripwireRequest withMin = request.minCalls() != null
                        ? request
                        : new TripwireRequest(
                                request.kind(),
                                request.model(),
                                request.windowSeconds(),
                                request.thresholdPercent(),
                                1,
                                request.multiple(),
                                request.baselineFloorTokens(),
                                request.allowedFromHour(),
                                request.allowedToHour(),
                                request.active(),
                                request.scope(),
                                request.scopeValue());
                window(withMin, rule);
                if (Scopes.INSTITUTION.equals(request.scope())) {
                    String bare = Scopes.institution(request.scopeValue());
                    if (!Scopes.isRor(bare)) {
                        throw ProblemException.invalidField("scopeValue", "must be a ROR id such as 05qwgg493");
                    }
                    rule.scopeValue = bare;
                } else if (Scopes.COUNTRY.equals(request.scope())) {
                    if (!Scopes.isCountry(request.scopeValue())) {
                        throw ProblemException.invalidField(
                                "scopeValue", "must be an ISO 3166-1 alpha-2 code such as 'DE'");
                    }
                    rule.scopeValue = request.scopeValue();
                } else {
                    throw ProblemException.invalidField("scope", "must be INSTITUTION or COUNTRY");
                }
                rule.scopeKind = request.scope();
                rule.action = KILL_SWITCH;
            }
            default -> {
                window(request, rule);
                if (request.thresholdPercent() == null
                        || request.thresholdPercent() < 1
                        || request.thresholdPercent() > 100) {
                    throw ProblemException.invalidField("thresholdPercent", "must be between 1 and 100");
                }
                rule.thresholdPercent = request.thresholdPercent();
                rule.action = KILL_SWITCH;
            }
        }
    }

    private static void window(TripwireRequest request, TripwireRuleEntity rule) {
        if (request.windowSeconds() == null || request.windowSeconds() < 10 || request.windowSeconds() > 600) {
            throw ProblemException.invalidField("windowSeconds", "must be between 10 and 600");
        }
        if (request.minCalls() == null || request.minCalls() < 1 || request.minCalls() > 1_000_000) {
            throw ProblemException.invalidField("minCalls", "must be between 1 and 10^6");
        }
        rule.windowSeconds = request.windowSeconds();
        rule.minCalls = request.minCalls();
    }

    /** The figure names a report for the kind must carry (its own check, not a control failure). */
    static List<String> figureNames(String kind) {
        return figureNames(kind, false);
    }

    /**
     * The figure names a report must carry; {@code controlFailure}: CALLS_FROM_SCOPE's check that no call came from
     * an engaged kill switch's scope.
     */
    static List<String> figureNames(String kind, boolean controlFailure) {
        if (kind.equals(CALLS_FROM_SCOPE)) {
            return controlFailure
                    ? List.of("windowSeconds", "callsInEngagedScope")
                    : List.of("windowSeconds", "calls", "callsFromScope");
        }
        return switch (kind) {
            case SUBJECT_TOKENS_PER_HOUR ->
                List.of("tokensThisHour", "medianTokensPerHour", "historyHours", "baselineTokensPerHour");
            case OFF_HOURS -> List.of("windowSeconds", "calls", "callsOutsideHours");
            case REFUSAL_RATE -> List.of("windowSeconds", "calls", "refusals", "contentFilters");
            default -> List.of("windowSeconds", "calls", "errors", "timeouts");
        };
    }

    /** Whether the figures trip the rule's own check; null if they do, otherwise why not. */
    static String notTripped(TripwireRuleEntity rule, Map<String, Long> figures) {
        return notTripped(rule, figures, false);
    }

    /** Whether the figures trip the rule (or, {@code controlFailure}, its control-failure check); null if they do. */
    static String notTripped(TripwireRuleEntity rule, Map<String, Long> figures, boolean controlFailure) {
        if (controlFailure && !rule.kind.equals(CALLS_FROM_SCOPE)) {
            return "only a CALLS_FROM_SCOPE rule has a control-failure check";
        }
        for (String name : figureNames(rule.kind, controlFailure)) {
            Long value = figures == null ? null : figures.get(name);
            if (value == null || value < 0) {
                return "the figure '" + name + "' is missing or negative";
            }
        }
        return switch (rule.kind) {
            case SUBJECT_TOKENS_PER_HOUR -> {
                long baseline = Math.max(figures.get("medianTokensPerHour"), rule.baselineFloorTokens);
                if (figures.get("baselineTokensPerHour") != baseline) {
                    yield "baselineTokensPerHour is not max(medianTokensPerHour, the rule's floor)";
                }
                yield figures.get("tokensThisHour") * 100 > baseline * rule.multiplePercent
                        ? null
                        : "tokensThisHour is not above the rule's multiple of the baseline";
            }
            case CALLS_FROM_SCOPE -> {
                if (controlFailure) {
                    // Any call at all: access-policy denies those calls, so one counted is a control that failed.
                    yield figures.get("callsInEngagedScope") >= 1
                            ? null
                            : "no call was counted from the engaged kill switch's scope";
                }
                yield figures.get("callsFromScope") >= rule.minCalls
                                && figures.get("calls") >= figures.get("callsFromScope")
                        ? null
                        : "fewer calls from the rule's scope than its minCalls";
            }
            case OFF_HOURS ->
                figures.get("callsOutsideHours") >= rule.minCalls
                                && figures.get("calls") >= figures.get("callsOutsideHours")
                        ? null
                        : "fewer calls outside the allowed hours than the rule's minCalls";
            default -> {
                long calls = figures.get("calls");
                long hits = rule.kind.equals(REFUSAL_RATE)
                        ? figures.get("refusals") + figures.get("contentFilters")
                        : figures.get("errors") + figures.get("timeouts");
                if (calls < rule.minCalls) {
                    yield "fewer calls in the window than the rule's minCalls";
                }
                yield hits <= calls && hits * 100 >= (long) rule.thresholdPercent * calls
                        ? null
                        : "the window's share is below the rule's threshold";
            }
        };
    }

    /** CALLS_FROM_SCOPE: the rule's scope as a kill-switch leaf names it ({@code institutions} or {@code countries}). */
    static Map<String, Object> scope(String scopeKind, String scopeValue) {
        return Map.of(scopeKind.equals(Scopes.INSTITUTION) ? "institutions" : "countries", List.of(scopeValue));
    }

    /** The version's parameters as the leaf's {@code params} (named non-negative integers). */
    static Map<String, Object> params(TripwireRuleEntity rule) {
        return switch (rule.kind) {
            case SUBJECT_TOKENS_PER_HOUR ->
                Map.of("multiplePercent", rule.multiplePercent, "baselineFloorTokens", rule.baselineFloorTokens);
            case CALLS_FROM_SCOPE -> Map.of("windowSeconds", rule.windowSeconds, "minCalls", rule.minCalls);
            case OFF_HOURS ->
                Map.of(
                        "windowSeconds", rule.windowSeconds,
                        "minCalls", rule.minCalls,
                        "allowedFromHour", rule.allowedFromHour,
                        "allowedToHour", rule.allowedToHour);
            default ->
                Map.of(
                        "windowSeconds", rule.windowSeconds,
                        "minCalls", rule.minCalls,
                        "thresholdPercent", rule.thresholdPercent);
        };
    }
}
