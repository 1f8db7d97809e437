package org.vettedaccess.ledger.verifier.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.ledger.verifier.conformance.ConformanceTest.callLater;
import static org.vettedaccess.ledger.verifier.conformance.ConformanceTest.clean;
import static org.vettedaccess.ledger.verifier.conformance.SyntheticLog.PAULA;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vettedaccess.ledger.verifier.conformance.ConformanceTest.Clean;

/**
 * Scoped tripwires (ADR 0045) on untagged usage leaves (before ADR 0046's scope tags, or without the key): a
 * CALLS_FROM_SCOPE trip that engaged an INSTITUTION or COUNTRY switch, and such a switch, have their calls reported as
 * not checkable (counted and listed), never passed in silence and never judged as if they stopped the whole model.
 */
class ScopedConformanceTest {

    /** A CALLS_FROM_SCOPE trip of the scope check: it engaged switch {@code switchId} on the institution and model. */
    private static void scopeTrip(SyntheticLog log, String model, String switchId) {
        ObjectNode leaf = SyntheticLog.JSON.createObjectNode();
        leaf.put("tripId", "trip-scope")
                .put("ruleId", "rule-9")
                .put("ruleVersion", 1)
                .put("ruleLeaf", 0);
        leaf.put("kind", "CALLS_FROM_SCOPE").put("model", model).put("action", "KILL_SWITCH");
        leaf.put("switchId", switchId);
        leaf.putObject("figures").put("windowSeconds", 30).put("calls", 3).put("callsFromScope", 1);
        leaf.putObject("scope").putArray("institutions").add("052gg0110");
        leaf.putArray("actors").add("pseudonym-gateway");
        leaf.put("trippedAt", log.clock.toString());
        log.append("tripwire.tripped", leaf);
    }

    @Test
    void aScopeTripAndItsSwitchAreListedAsNotCheckableAndCallsOnTheModelAreNotViolations() {
        SyntheticLog log = new SyntheticLog();
        Clean c = clean(log);
        log.killSwitch("killswitch.engaged", "s9", "institutions", "052gg0110", PAULA);
        ((ObjectNode) log.last().get("scope")).put("model", "sim-small");
        scopeTrip(log, "sim-small", "s9");
        // A call on the model well after the bound: from another institution, for all the log can say.
        callLater(log, c, 1_500);
        ConformanceReport report = log.check(0);
        assertEquals(List.of(), report.violations(), report.summary());
        assertEquals(1, report.trips(), "the trip is counted");
        List<String> notes = report.uncheckable();
        assertTrue(
                notes.stream().anyMatch(n -> n.startsWith("CALLS_FROM_SCOPE trip trip-scope") && n.contains("1 call")),
                notes.toString());
        assertTrue(
                notes.stream()
                        .anyMatch(n -> n.startsWith("INSTITUTION or COUNTRY kill switch s9") && n.contains("1 call")),
                notes.toString());
        assertTrue(
                notes.stream().anyMatch(n -> n.startsWith("1 usage leaf/leaves fell in the span")), notes.toString());
        assertTrue(report.summary().contains("NOT CHECKED"), report.summary());
    }

    @Test
    void aSwitchOnOneModelLeavesTheOtherModelsCallsOutOfItsCount() {
        SyntheticLog log = new SyntheticLog();
        Clean c = clean(log);
        log.killSwitch("killswitch.engaged", "s9", "countries", "DE", PAULA);
        ((ObjectNode) log.last().get("scope")).put("model", "sim-large");
        callLater(log, c, 1_500);
        ConformanceReport report = log.check(0);
        assertTrue(report.passed(), report.summary());
        assertTrue(
                report.uncheckable().stream().noneMatch(n -> n.contains("usage leaf/leaves fell in the span")),
                "a sim-small call cannot have been stopped by a sim-large switch: " + report.uncheckable());
    }

    @Test
    void aControlFailureTripIsJudgedAsTheModelSwitchItEngaged() {
        SyntheticLog log = new SyntheticLog();
        Clean c = clean(log);
        log.modelTrip("sim-small", "s2");
        log.last().put("kind", "CALLS_FROM_SCOPE").put("failedSwitchId", "s9");
        ObjectNode figures = log.last().putObject("figures");
        figures.put("windowSeconds", 30).put("callsInEngagedScope", 1);
        callLater(log, c, 1_500);
        ConformanceReport report = log.check(0);
        assertEquals(1, report.violations().size(), report.summary());
        assertEquals(Rule.TRIPWIRE_SCOPE, report.violations().get(0).rule());
    }
}
