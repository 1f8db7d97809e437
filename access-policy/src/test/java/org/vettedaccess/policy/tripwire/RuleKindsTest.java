package org.vettedaccess.policy.tripwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vettedaccess.support.problem.ProblemException;

/** What access-policy accepts as a rule, and how it checks a gateway's reported figures again. */
class RuleKindsTest {

    private static TripwireRuleEntity rule(TripwireRequest request) {
        TripwireRuleEntity rule = new TripwireRuleEntity();
        RuleKinds.apply(request, rule);
        return rule;
    }

    private static TripwireRequest refusals(int threshold, int minCalls) {
        return new TripwireRequest(
                "REFUSAL_RATE", "m", 30, threshold, minCalls, null, null, null, null, null, null, null);
    }

    @Test
    void rateFiguresTripOnlyAtTheThresholdWithEnoughCallsAndConsistentCounts() {
        TripwireRuleEntity rule = rule(refusals(50, 10));
        assertEquals("KILL_SWITCH", rule.action);
        assertNull(RuleKinds.notTripped(
                rule, Map.of("windowSeconds", 30L, "calls", 10L, "refusals", 4L, "contentFilters", 1L)));
        assertNotNull(RuleKinds.notTripped(
                rule, Map.of("windowSeconds", 30L, "calls", 10L, "refusals", 4L, "contentFilters", 0L)));
        assertNotNull(RuleKinds.notTripped(
                rule, Map.of("windowSeconds", 30L, "calls", 9L, "refusals", 9L, "contentFilters", 0L)));
        // More hits than calls is a forged report.
        assertNotNull(RuleKinds.notTripped(
                rule, Map.of("windowSeconds", 30L, "calls", 10L, "refusals", 20L, "contentFilters", 0L)));
        assertNotNull(RuleKinds.notTripped(rule, Map.of("calls", 10L)), "figures missing");
    }

    @Test
    void aSubjectRuleNeedsItsBaselineToBeTheMedianOrTheFloor() {
        TripwireRuleEntity rule = rule(new TripwireRequest(
                "SUBJECT_TOKENS_PER_HOUR", "m", null, null, null, 3.0, 500L, null, null, null, null, null));
        assertEquals("SUSPEND_GRANT", rule.action);
        assertEquals(300, rule.multiplePercent);
        assertNull(RuleKinds.notTripped(
                rule,
                Map.of(
                        "tokensThisHour",
                        1_501L,
                        "medianTokensPerHour",
                        0L,
                        "historyHours",
                        0L,
                        "baselineTokensPerHour",
                        500L)));
        assertNotNull(RuleKinds.notTripped(
                rule,
                Map.of(
                        "tokensThisHour",
                        1_500L,
                        "medianTokensPerHour",
                        0L,
                        "historyHours",
                        0L,
                        "baselineTokensPerHour",
                        500L)));
        // A baseline under the floor is not what the rule says.
        assertNotNull(RuleKinds.notTripped(
                rule,
                Map.of(
                        "tokensThisHour",
                        1_501L,
                        "medianTokensPerHour",
                        0L,
                        "historyHours",
                        0L,
                        "baselineTokensPerHour",
                        1L)));
        assertNull(RuleKinds.notTripped(
                rule,
                Map.of(
                        "tokensThisHour",
                        3_001L,
                        "medianTokensPerHour",
                        1_000L,
                        "historyHours",
                        5L,
                        "baselineTokensPerHour",
                        1_000L)));
    }

    @Test
    void offHoursAndErrorRulesAreCheckedOnTheirOwnFigures() {
        TripwireRuleEntity offHours =
                rule(new TripwireRequest("OFF_HOURS", "m", 60, null, 1, null, null, 8, 20, null, null, null));
        assertNull(RuleKinds.notTripped(offHours, Map.of("windowSeconds", 60L, "calls", 3L, "callsOutsideHours", 1L)));
        assertNotNull(
                RuleKinds.notTripped(offHours, Map.of("windowSeconds", 60L, "calls", 3L, "callsOutsideHours", 0L)));
        TripwireRuleEntity errors =
                rule(new TripwireRequest("ERROR_RATE", "m", 60, 20, 5, null, null, null, null, null, null, null));
        assertNull(
                RuleKinds.notTripped(errors, Map.of("windowSeconds", 60L, "calls", 10L, "errors", 1L, "timeouts", 1L)));
    }

    @Test
    void badDefinitionsAreRefused() {
        assertThrows(ProblemException.class, () -> rule(refusals(0, 10)));
        assertThrows(ProblemException.class, () -> rule(refusals(50, 0)));
        assertThrows(
                ProblemException.class,
                () -> rule(new TripwireRequest("NOPE", "m", 30, 50, 1, null, null, null, null, null, null, null)));
        assertThrows(
                ProblemException.class,
                () -> rule(new TripwireRequest("OFF_HOURS", "m", 60, null, 1, null, null, 20, 8, null, null, null)));
        assertThrows(
                ProblemException.class,
                () -> rule(new TripwireRequest(
                        "SUBJECT_TOKENS_PER_HOUR", "m", null, null, null, 1.0, 500L, null, null, null, null, null)));
    }

    private static TripwireRequest scoped(String scope, String value, Integer minCalls) {
        return new TripwireRequest(
                "CALLS_FROM_SCOPE", "m", 30, null, minCalls, null, null, null, null, null, scope, value);
    }

    @Test
    void aScopeRuleNamesItsScopeBareAndTripsOnACallFromIt() {
        TripwireRuleEntity rule = rule(scoped("INSTITUTION", "https://ror.org/052gg0110", null));
        assertEquals("KILL_SWITCH", rule.action);
        assertEquals("INSTITUTION", rule.scopeKind);
        assertEquals("052gg0110", rule.scopeValue, "a ROR URL is stored as the bare id decisions carry");
        assertEquals(1, rule.minCalls, "one call from the scope trips it unless the rule says more");
        assertEquals(
                Map.of("institutions", java.util.List.of("052gg0110")), RuleKinds.scope("INSTITUTION", "052gg0110"));
        assertNull(RuleKinds.notTripped(rule, Map.of("windowSeconds", 30L, "calls", 4L, "callsFromScope", 1L)));
        assertNotNull(RuleKinds.notTripped(rule, Map.of("windowSeconds", 30L, "calls", 4L, "callsFromScope", 0L)));
        // More calls from the scope than calls on the model is a forged report.
        assertNotNull(RuleKinds.notTripped(rule, Map.of("windowSeconds", 30L, "calls", 1L, "callsFromScope", 2L)));
        TripwireRuleEntity three = rule(scoped("COUNTRY", "DE", 3));
        assertNotNull(RuleKinds.notTripped(three, Map.of("windowSeconds", 30L, "calls", 9L, "callsFromScope", 2L)));
        assertNull(RuleKinds.notTripped(three, Map.of("windowSeconds", 30L, "calls", 9L, "callsFromScope", 3L)));
        // Another kind clears the scope.
        RuleKinds.apply(refusals(50, 10), three);
        assertNull(three.scopeKind);
        assertNull(three.scopeValue);
    }

    @Test
    void theControlFailureCheckTripsOnAnyCallFromAnEngagedScope() {
        TripwireRuleEntity rule = rule(scoped("COUNTRY", "DE", 5));
        assertEquals(
                java.util.List.of("windowSeconds", "callsInEngagedScope"),
                RuleKinds.figureNames("CALLS_FROM_SCOPE", true));
        // Any call at all, whatever the rule's own minCalls: access-policy denies those calls.
        assertNull(RuleKinds.notTripped(rule, Map.of("windowSeconds", 30L, "callsInEngagedScope", 1L), true));
        assertNotNull(RuleKinds.notTripped(rule, Map.of("windowSeconds", 30L, "callsInEngagedScope", 0L), true));
        assertNotNull(RuleKinds.notTripped(rule, Map.of("windowSeconds", 30L), true), "figure missing");
        // Only this kind has the check.
        assertNotNull(RuleKinds.notTripped(
                rule(refusals(50, 10)), Map.of("windowSeconds", 30L, "callsInEngagedScope", 1L), true));
    }

    @Test
    void badScopeRulesAreRefused() {
        assertThrows(ProblemException.class, () -> rule(scoped("MODEL", "m", 1)));
        assertThrows(ProblemException.class, () -> rule(scoped(null, "DE", 1)));
        assertThrows(ProblemException.class, () -> rule(scoped("INSTITUTION", "not-a-ror", 1)));
        assertThrows(ProblemException.class, () -> rule(scoped("COUNTRY", "de", 1)));
        assertThrows(ProblemException.class, () -> rule(scoped("COUNTRY", "DE", 0)));
    }
}
