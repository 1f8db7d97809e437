package org.vettedaccess.ledger.verifier.conformance;

import static org.vettedaccess.ledger.verifier.conformance.ConformanceTest.breaks;
import static org.vettedaccess.ledger.verifier.conformance.ConformanceTest.callLater;
import static org.vettedaccess.ledger.verifier.conformance.ConformanceTest.conforms;
import static org.vettedaccess.ledger.verifier.conformance.SyntheticLog.PAULA;
import static org.vettedaccess.ledger.verifier.conformance.SyntheticLog.PETE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.vettedaccess.ledger.verifier.conformance.ConformanceTest.Scenario;

/**
 * ConformanceTest's table rows for the rules on incident reports ({@code VA-INCIDENT-ACK}), tripwire trips
 * ({@code VA-TRIPWIRE-SCOPE}) and seeded leaves ({@code VA-SEED}), each appended to the same clean log.
 */
final class IncidentScenarios {

    private IncidentScenarios() {}

    static List<Scenario> scenarios() {
        return List.of(
                breaks("a CRITICAL report answered after its deadline", Rule.INCIDENT_ACK, (log, c) -> {
                    long report = log.report("r1", "CRITICAL", Duration.ofHours(4));
                    log.tick(Duration.ofHours(4).plusSeconds(1).toMillis());
                    log.answer("incident.acknowledged", "r1", report);
                }),
                breaks("a report whose deadline passed with no answer", Rule.INCIDENT_ACK, (log, c) -> {
                    log.report("r1", "HIGH", Duration.ofHours(24));
                    callLater(log, c, Duration.ofHours(25).toMillis());
                }),
                breaks("a report first answered late, however it was answered", Rule.INCIDENT_ACK, (log, c) -> {
                    long report = log.report("r1", "CRITICAL", Duration.ofHours(4));
                    log.tick(Duration.ofHours(5).toMillis());
                    log.answer("incident.rejected", "r1", report);
                    log.answer("incident.acknowledged", "r1", report);
                }),
                conforms("a CRITICAL report acknowledged on time, mitigated later", (log, c) -> {
                    long report = log.report("r1", "CRITICAL", Duration.ofHours(4));
                    log.tick(Duration.ofHours(3).toMillis());
                    log.answer("incident.acknowledged", "r1", report);
                    log.tick(Duration.ofHours(30).toMillis());
                    log.answer("incident.mitigated", "r1", report);
                }),
                conforms("an open report whose deadline the log has not reached", (log, c) -> {
                    log.report("r1", "CRITICAL", Duration.ofHours(4));
                    callLater(log, c, Duration.ofHours(3).toMillis());
                }),
                breaks("a call on a tripped model whose kill-switch leaf is missing", Rule.TRIPWIRE_SCOPE, (log, c) -> {
                    log.modelTrip("sim-small", "s1");
                    callLater(log, c, 1_500);
                }),
                new Scenario(
                        "a call on a tripped model during its kill switch",
                        (log, c) -> {
                            log.killSwitch("killswitch.engaged", "s1", "models", "sim-small", PAULA);
                            log.modelTrip("sim-small", "s1");
                            callLater(log, c, 1_500);
                        },
                        EnumSet.of(Rule.TRIPWIRE_SCOPE, Rule.KILLSWITCH)),
                breaks("a call on a grant its trip suspended, no suspension leaf", Rule.TRIPWIRE_SCOPE, (log, c) -> {
                    log.grantTrip("sim-small", "g1");
                    callLater(log, c, 1_500);
                }),
                breaks("a trip whose leaf came late, in force before the call", Rule.TRIPWIRE_SCOPE, (log, c) -> {
                    String trippedAt = log.clock.toString();
                    callLater(log, c, 2_000);
                    log.modelTrip("sim-small", "s1");
                    log.last().put("trippedAt", trippedAt);
                }),
                conforms("a call within the bound after a trip", (log, c) -> {
                    log.modelTrip("sim-small", "s1");
                    callLater(log, c, 500);
                }),
                conforms("a call on another model than the tripped one", (log, c) -> {
                    log.modelTrip("sim-large", "s1");
                    log.tick(1_500).usage("g1", c.grant1(), "sim-small", "key-1", 1, 1);
                }),
                conforms("a call after the trip's kill switch was released by two admins", (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s1", "models", "sim-small", PAULA);
                    log.modelTrip("sim-small", "s1");
                    log.tick(5_000).killSwitch("killswitch.release-requested", "s1", "models", "sim-small", PAULA);
                    log.killSwitch("killswitch.released", "s1", "models", "sim-small", PAULA, PETE);
                    callLater(log, c, 10);
                }),
                conforms("a call after the tripped grant was reinstated", (log, c) -> {
                    log.grant("grant.suspended", "g1", 1, c.kyc(), "sim-small");
                    log.grantTrip("sim-small", "g1");
                    long reinstated = log.tick(5_000).grant("grant.changed", "g1", 1, c.kyc(), "sim-small");
                    log.tick(10).usage("g1", reinstated, "sim-small", "key-1", 1, 1);
                }),
                new Scenario(
                        "a model seeded with one admin after the first ordinary change",
                        (log, c) -> {
                            log.model("model.registered", "sim-new", 1, "ACTIVE", 1, PAULA);
                            log.last().put("seeded", true);
                        },
                        EnumSet.of(Rule.SEED, Rule.TWO_ADMINS)),
                new Scenario(
                        "a tier loosening seeded with one admin after the first ordinary change",
                        (log, c) -> {
                            log.tier(1, 2, PAULA);
                            ((ObjectNode) log.last().get("limits")).put("rpm", 1_000);
                            log.last().put("seeded", true);
                        },
                        EnumSet.of(Rule.SEED, Rule.TWO_ADMINS)),
                breaks("a restrictive change seeded after the first ordinary change", Rule.SEED, (log, c) -> {
                    log.model("model.changed", "sim-large", 3, "SUSPENDED", 2, PAULA);
                    log.last().put("seeded", true);
                }));
    }
}
