package org.vettedaccess.ledger.verifier.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.ledger.verifier.conformance.ConformanceTest.callLater;
import static org.vettedaccess.ledger.verifier.conformance.ConformanceTest.clean;
import static org.vettedaccess.ledger.verifier.conformance.SyntheticLog.PAULA;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vettedaccess.ledger.core.ScopeTags;
import org.vettedaccess.ledger.verifier.conformance.ConformanceTest.Clean;

/**
 * Keyed scope tags (ADR 0046): with the regulator's key, INSTITUTION and COUNTRY kill switches (also on one model)
 * and CALLS_FROM_SCOPE trips are judged on tagged usage leaves; a leaf without tags, or tagged under a key not given,
 * is counted as not checked, never passed in silence.
 */
class ScopeTagConformanceTest {

    static final ScopeTags KEY = ScopeTags.parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    static final ScopeTags OTHER = ScopeTags.of(new byte[32]);
    static final String ETH = "05a28rw58";
    static final String MIT = "042nb2s44";

    /**
     * @param unchecked the usage leaves the report must count as not checked (distinct leaves)
     * @param proof the leaves the one violation must name, relative to the scenario's first leaf (empty: none)
     */
    record Scenario(String name, BiConsumer<SyntheticLog, Clean> change, Set<Rule> expected, long unchecked) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Scenario breaks(String name, Rule rule, BiConsumer<SyntheticLog, Clean> change) {
        return new Scenario(name, change, EnumSet.of(rule), 0);
    }

    private static Scenario conforms(String name, long unchecked, BiConsumer<SyntheticLog, Clean> change) {
        return new Scenario(name, change, EnumSet.noneOf(Rule.class), unchecked);
    }

    private static void institutionSwitch(SyntheticLog log, String model) {
        log.killSwitch("killswitch.engaged", "s1", "institutions", ETH, PAULA);
        if (model != null) {
            ((ObjectNode) log.last().get("scope")).put("model", model);
        }
    }

    /** A CALLS_FROM_SCOPE trip on sim-small from ETH (its kill switch's own leaf is not added). */
    static void scopeTrip(SyntheticLog log, String switchId) {
        ObjectNode leaf = SyntheticLog.JSON.createObjectNode();
        leaf.put("tripId", "trip-scope")
                .put("ruleId", "rule-9")
                .put("ruleVersion", 1)
                .put("ruleLeaf", 0);
        leaf.put("kind", "CALLS_FROM_SCOPE").put("model", "sim-small").put("action", "KILL_SWITCH");
        leaf.put("switchId", switchId);
        leaf.putObject("figures").put("windowSeconds", 30).put("calls", 3).put("callsFromScope", 1);
        leaf.putObject("scope").putArray("institutions").add(ETH);
        leaf.putArray("actors").add("pseudonym-gateway");
        leaf.put("trippedAt", log.clock.toString());
        log.append("tripwire.tripped", leaf);
    }

    static List<Scenario> scenarios() {
        return List.of(
                breaks("a tagged call from the switched institution after the bound", Rule.KILLSWITCH, (log, c) -> {
                    institutionSwitch(log, null);
                    callLater(log, c, 1_500);
                    log.tag(KEY, ETH, "CH");
                }),
                conforms("a tagged call from another institution", 0, (log, c) -> {
                    institutionSwitch(log, null);
                    callLater(log, c, 1_500);
                    log.tag(KEY, MIT, "US");
                }),
                conforms("a tagged call from the institution within the bound", 0, (log, c) -> {
                    institutionSwitch(log, null);
                    callLater(log, c, 500);
                    log.tag(KEY, ETH, "CH");
                }),
                conforms("an untagged call after the bound is not checked", 1, (log, c) -> {
                    institutionSwitch(log, null);
                    callLater(log, c, 1_500);
                }),
                conforms("a call tagged under a key not given is not checked", 1, (log, c) -> {
                    institutionSwitch(log, null);
                    callLater(log, c, 1_500);
                    log.tag(OTHER, ETH, "CH");
                }),
                conforms("a call tagged with a country only is not checked against an institution", 1, (log, c) -> {
                    institutionSwitch(log, null);
                    callLater(log, c, 1_500);
                    log.tag(KEY, null, "CH");
                }),
                breaks("a tagged call from the switched country after the bound", Rule.KILLSWITCH, (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s2", "countries", "CH", PAULA);
                    callLater(log, c, 1_500);
                    log.tag(KEY, ETH, "CH");
                }),
                conforms("a tagged call from another country", 0, (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s2", "countries", "CH", PAULA);
                    callLater(log, c, 1_500);
                    log.tag(KEY, MIT, "US");
                }),
                breaks("a switch on the called model stops the institution's call", Rule.KILLSWITCH, (log, c) -> {
                    institutionSwitch(log, "sim-small");
                    callLater(log, c, 1_500);
                    log.tag(KEY, ETH, "CH");
                }),
                conforms("a switch on another model leaves the institution's call alone", 0, (log, c) -> {
                    institutionSwitch(log, "sim-large");
                    callLater(log, c, 1_500);
                    log.tag(KEY, ETH, "CH");
                }),
                conforms("a released switch stops nothing", 0, (log, c) -> {
                    institutionSwitch(log, null);
                    log.killSwitch("killswitch.release-requested", "s1", "institutions", ETH, PAULA);
                    log.killSwitch("killswitch.released", "s1", "institutions", ETH, PAULA, SyntheticLog.PETE);
                    callLater(log, c, 1_500);
                    log.tag(KEY, ETH, "CH");
                }),
                breaks("a tagged call in a tripped scope after the bound", Rule.TRIPWIRE_SCOPE, (log, c) -> {
                    scopeTrip(log, "s9");
                    callLater(log, c, 1_500);
                    log.tag(KEY, ETH, "CH");
                }),
                conforms("a tagged call from outside the tripped scope", 0, (log, c) -> {
                    scopeTrip(log, "s9");
                    callLater(log, c, 1_500);
                    log.tag(KEY, MIT, "US");
                }),
                conforms("a tagged call in the tripped scope within the bound", 0, (log, c) -> {
                    scopeTrip(log, "s9");
                    callLater(log, c, 500);
                    log.tag(KEY, ETH, "CH");
                }),
                conforms("an untagged call in a tripped scope is not checked", 1, (log, c) -> {
                    scopeTrip(log, "s9");
                    callLater(log, c, 1_500);
                }),
                conforms("a call in a tripped scope under another key is not checked", 1, (log, c) -> {
                    scopeTrip(log, "s9");
                    callLater(log, c, 1_500);
                    log.tag(OTHER, ETH, "CH");
                }));
    }

    static Stream<Arguments> table() {
        return scenarios().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void eachScenarioIsJudgedFromTheTags(Scenario scenario) {
        SyntheticLog log = new SyntheticLog();
        Clean c = clean(log);
        int before = log.leaves.size();
        scenario.change().accept(log, c);
        ConformanceReport report = log.check(0, List.of(KEY));
        Set<Rule> found = report.violations().stream().map(Violation::rule).collect(Collectors.toSet());
        assertEquals(scenario.expected(), found, report.summary());
        if (!scenario.expected().isEmpty()) {
            assertEquals(1, report.violations().size(), report.summary());
            Violation violation = report.violations().get(0);
            long call = log.leaves.size() - 1;
            assertEquals(List.of(call, (long) before), violation.leaves(), "the call, then the switch or the trip");
        }
        assertEquals(scenario.unchecked(), unchecked(report), report.summary());
    }

    @Test
    void withoutTheKeyTheSameBreachIsCountedAsNotCheckedNeverPassedOrFailed() {
        SyntheticLog log = new SyntheticLog();
        Clean c = clean(log);
        institutionSwitch(log, null);
        callLater(log, c, 1_500);
        log.tag(KEY, ETH, "CH");
        long call = log.leaves.size() - 1;
        ConformanceReport report = log.check(0);
        assertTrue(report.passed(), report.summary());
        assertEquals(1, unchecked(report), report.summary());
        assertTrue(
                report.uncheckable().stream()
                        .anyMatch(n -> n.contains("kill switch s1")
                                && n.contains("1 tagged under a key not given [" + KEY.id() + "]")
                                && n.contains("[" + call + "]")),
                report.uncheckable().toString());
    }

    @Test
    void everyUntaggedCallInTheSpanIsCountedOnce() {
        SyntheticLog log = new SyntheticLog();
        Clean c = clean(log);
        institutionSwitch(log, null);
        scopeTrip(log, "s1");
        for (int i = 0; i < 3; i++) {
            callLater(log, c, 1_500);
        }
        callLater(log, c, 10);
        log.tag(KEY, MIT, "US");
        ConformanceReport report = log.check(0, List.of(KEY));
        assertTrue(report.passed(), report.summary());
        assertEquals(3, unchecked(report), "three untagged calls in two spans: " + report.uncheckable());
    }

    /** The distinct usage leaves the report says it could not check in scoped spans. */
    static long unchecked(ConformanceReport report) {
        return report.uncheckable().stream()
                .filter(n -> n.contains(" usage leaf/leaves fell in the span"))
                .mapToLong(n -> Long.parseLong(n.substring(0, n.indexOf(' '))))
                .sum();
    }
}
