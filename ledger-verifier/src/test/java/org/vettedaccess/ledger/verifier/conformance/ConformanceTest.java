package org.vettedaccess.ledger.verifier.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.ledger.verifier.conformance.SyntheticLog.PAULA;
import static org.vettedaccess.ledger.verifier.conformance.SyntheticLog.PETE;
import static org.vettedaccess.ledger.verifier.conformance.SyntheticLog.RAVI;
import static org.vettedaccess.ledger.verifier.conformance.SyntheticLog.RITA;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests: a clean log conforms; each scenario appends what a lab that broke one rule would have logged, and
 * conformance names exactly that rule at the breaking leaf, with the leaves that prove it.
 */
class ConformanceTest {

    /** The clean log's indices, for scenarios to name. */
    record Clean(long kyc, long grant1, long grant3) {}

    static Clean clean(SyntheticLog log) {
        log.tier(1, 1, "migration");
        log.tier(2, 1, "migration");
        log.tier(3, 1, "migration");
        log.model("model.registered", "sim-small", 1, "ACTIVE", 1, PAULA, PETE);
        log.model("model.registered", "sim-large", 3, "ACTIVE", 1, PAULA, PETE);
        long kyc = log.kyc("app-1", "APPROVED", 3, RITA, RAVI);
        long g1 = log.grant("grant.issued", "g1", 1, kyc, "sim-small");
        long g3 = log.grant("grant.issued", "g3", 3, kyc, "sim-large");
        log.key("key.issued", "key-1", "g1");
        for (int i = 0; i < 3; i++) {
            log.tick(1_000).usage("g1", g1, "sim-small", "key-1", 100, 50);
        }
        log.usage("g3", g3, "sim-large", null, 100, 50);
        return new Clean(kyc, g1, g3);
    }

    /** Appends a call on grant g1 after {@code millis}. */
    static void callLater(SyntheticLog log, Clean c, long millis) {
        log.tick(millis).usage("g1", c.grant1(), "sim-small", "key-1", 100, 50);
    }

    record Scenario(String name, java.util.function.BiConsumer<SyntheticLog, Clean> breaks, Set<Rule> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Scenario breaks(String name, Rule rule, java.util.function.BiConsumer<SyntheticLog, Clean> breaks) {
        return new Scenario(name, breaks, EnumSet.of(rule));
    }

    static Scenario conforms(String name, java.util.function.BiConsumer<SyntheticLog, Clean> change) {
        return new Scenario(name, change, EnumSet.noneOf(Rule.class));
    }

    static List<Scenario> scenarios() {
        return List.of(
                breaks(
                        "usage names another grant's leaf",
                        Rule.USAGE_CHAIN,
                        (log, c) -> log.usage("g1", c.grant3(), "sim-small", "key-1", 1, 1)),
                breaks("usage finished after it was logged", Rule.USAGE_CHAIN, (log, c) -> {
                    log.usage("g1", c.grant1(), "sim-small", "key-1", 1, 1);
                    log.last().put("finishedAt", log.clock.plusSeconds(5).toString());
                }),
                breaks("usage 1.5 s after a revocation", Rule.GRANT_ACTIVE, (log, c) -> {
                    log.grant("grant.revoked", "g1", 1, c.kyc(), "sim-small");
                    callLater(log, c, 1_500);
                }),
                new Scenario(
                        "usage of a grant never issued",
                        (log, c) -> log.usage("g-unknown", c.grant1(), "sim-small", null, 1, 1),
                        EnumSet.of(Rule.GRANT_ACTIVE, Rule.USAGE_CHAIN)),
                breaks("revocation logged late, in force before the call", Rule.GRANT_ACTIVE, (log, c) -> {
                    String revokedAt = log.clock.toString();
                    callLater(log, c, 2_000);
                    log.grant("grant.revoked", "g1", 1, c.kyc(), "sim-small");
                    log.last().put("at", revokedAt);
                }),
                breaks(
                        "usage after the grant's end",
                        Rule.GRANT_ACTIVE,
                        (log, c) -> log.tick(31L * 86_400_000).usage("g1", c.grant1(), "sim-small", null, 1, 1)),
                breaks(
                        "model not in the grant",
                        Rule.GRANT_MODEL,
                        (log, c) -> log.usage("g1", c.grant1(), "sim-large", "key-1", 1, 1)),
                breaks("model suspended 1.5 s before", Rule.MODEL_ACTIVE, (log, c) -> {
                    log.model("model.changed", "sim-small", 1, "SUSPENDED", 2, PAULA);
                    callLater(log, c, 1_500);
                }),
                breaks("endpoint the tier does not allow", Rule.TIER_ENDPOINT, (log, c) -> {
                    callLater(log, c, 10);
                    log.last().put("endpoint", "/v1/completions");
                }),
                conforms("the Responses API under a tier that allows chat (ADR 0080)", (log, c) -> {
                    callLater(log, c, 10);
                    log.last().put("endpoint", "/v1/responses");
                }),
                breaks("KYC suspended 1.5 s before", Rule.KYC_CURRENT, (log, c) -> {
                    log.kyc("app-1", "SUSPENDED", 3);
                    callLater(log, c, 1_500);
                }),
                breaks("model kill switch engaged", Rule.KILLSWITCH, (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s1", "models", "sim-small", PAULA);
                    callLater(log, c, 1_500);
                }),
                breaks("tier kill switch engaged", Rule.KILLSWITCH, (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s1", "tiers", "1", PAULA);
                    callLater(log, c, 1_500);
                }),
                breaks("global kill switch engaged", Rule.KILLSWITCH, (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s1", "global", null, PAULA);
                    callLater(log, c, 1_500);
                }),
                breaks("key revoked 1.5 s before", Rule.KEY_VALID, (log, c) -> {
                    log.key("key.revoked", "key-1", "g1");
                    callLater(log, c, 1_500);
                }),
                breaks(
                        "key bound to another grant",
                        Rule.KEY_VALID,
                        (log, c) -> log.usage("g3", c.grant3(), "sim-large", "key-1", 1, 1)),
                breaks(
                        "output tokens over the minute's bucket",
                        Rule.QUOTA_RATE,
                        (log, c) -> log.usage("g1", c.grant1(), "sim-small", "key-1", 10, 25_000)),
                breaks("requests over the minute's bucket", Rule.QUOTA_RATE, (log, c) -> {
                    for (int i = 0; i < 90; i++) {
                        log.usage("g1", c.grant1(), "sim-small", "key-1", 1, 1);
                    }
                }),
                breaks("budget spent", Rule.QUOTA_BUDGET, (log, c) -> {
                    for (int i = 0; i < 35; i++) {
                        log.tick(60_000).usage("g3", c.grant3(), "sim-large", null, 30_000, 10);
                    }
                }),
                breaks("grant over a KYC assurance below the tier's minimum", Rule.KYC_APPROVAL, (log, c) -> {
                    long kyc = log.kyc("app-2", "APPROVED", 3, RITA, RAVI);
                    log.last().put("assuranceLevel", 2);
                    log.grant("grant.issued", "g9", 3, kyc, "sim-large");
                }),
                breaks("grant over a rejection", Rule.KYC_APPROVAL, (log, c) -> {
                    long kyc = log.kyc("app-2", "REJECTED", 1, RITA);
                    log.grant("grant.issued", "g9", 1, kyc, "sim-small");
                }),
                breaks("tier-3 grant over a one-reviewer decision", Rule.KYC_REVIEWERS, (log, c) -> {
                    long kyc = log.kyc("app-2", "APPROVED", 3, RITA);
                    log.grant("grant.issued", "g9", 3, kyc, "sim-large");
                }),
                breaks("tier-3 grant with the same reviewer twice", Rule.KYC_REVIEWERS, (log, c) -> {
                    long kyc = log.kyc("app-2", "APPROVED", 3, RITA, RITA);
                    log.grant("grant.issued", "g9", 3, kyc, "sim-large");
                }),
                breaks("tier-3 grant with an open sanctions candidate", Rule.KYC_SANCTIONS, (log, c) -> {
                    long kyc = log.kyc("app-2", "APPROVED", 3, RITA, RAVI);
                    ((ObjectNode) log.last().get("screening")).put("cleared", 0);
                    log.grant("grant.issued", "g9", 3, kyc, "sim-large");
                }),
                breaks("tier-3 grant with a strong match cleared by one", Rule.KYC_SANCTIONS, (log, c) -> {
                    long kyc = log.kyc("app-2", "APPROVED", 3, RITA, RAVI);
                    ((ObjectNode) log.last().get("screening")).put("strong", 1).put("clearingReviewers", 1);
                    log.grant("grant.issued", "g9", 3, kyc, "sim-large");
                }),
                breaks(
                        "tier-1 grant of a tier-3 model",
                        Rule.GRANT_TIER,
                        (log, c) -> log.grant("grant.issued", "g9", 1, c.kyc(), "sim-large")),
                breaks(
                        "new model by one admin",
                        Rule.TWO_ADMINS,
                        (log, c) -> log.model("model.registered", "sim-new", 1, "ACTIVE", 1, PAULA)),
                breaks(
                        "model's required tier lowered by one admin",
                        Rule.TWO_ADMINS,
                        (log, c) -> log.model("model.changed", "sim-large", 1, "ACTIVE", 2, PAULA)),
                breaks("model's parameter family changed by one admin", Rule.TWO_ADMINS, (log, c) -> {
                    log.model("model.changed", "sim-small", 1, "ACTIVE", 2, PAULA);
                    log.last().put("parameterFamily", "REASONING");
                }),
                conforms("a model version that names the family it always had", (log, c) -> {
                    log.model("model.changed", "sim-small", 1, "ACTIVE", 2, PAULA);
                    log.last().put("parameterFamily", "CHAT").put("responsesApi", "TRANSLATED");
                }),
                breaks("tier limits raised by one admin", Rule.TWO_ADMINS, (log, c) -> {
                    log.tier(1, 2, PAULA);
                    ((ObjectNode) log.last().get("limits")).put("rpm", 1_000);
                }),
                breaks("kill switch released by one admin", Rule.KILLSWITCH_RELEASE, (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s1", "models", "sim-new", PAULA);
                    log.killSwitch("killswitch.release-requested", "s1", "models", "sim-new", PAULA);
                    log.killSwitch("killswitch.released", "s1", "models", "sim-new", PAULA);
                }),
                breaks("kill switch released without a request", Rule.KILLSWITCH_RELEASE, (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s1", "models", "sim-new", PAULA);
                    log.killSwitch("killswitch.released", "s1", "models", "sim-new", PAULA, PETE);
                }),
                conforms("a rotated key's grace period", (log, c) -> {
                    log.key("key.revoked", "key-1", "g1");
                    log.last().put("expiresAt", log.clock.plusSeconds(60).toString());
                    callLater(log, c, 30_000);
                }),
                breaks("a rotated key after its grace period", Rule.KEY_VALID, (log, c) -> {
                    log.key("key.revoked", "key-1", "g1");
                    log.last().put("expiresAt", log.clock.plusSeconds(60).toString());
                    callLater(log, c, 62_000);
                }),
                conforms("a kill switch engaged while the ledger was down, released before the call", (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s1", "models", "sim-small", PAULA);
                    log.last().put("at", log.clock.minusMillis(800).toString());
                    log.killSwitch("killswitch.release-requested", "s1", "models", "sim-small", PAULA);
                    log.killSwitch("killswitch.released", "s1", "models", "sim-small", PAULA, PETE);
                    callLater(log, c, 10);
                }),
                breaks("a call during a kill switch whose leaf came late", Rule.KILLSWITCH, (log, c) -> {
                    String engagedAt = log.clock.toString();
                    callLater(log, c, 2_000);
                    log.killSwitch("killswitch.engaged", "s1", "models", "sim-small", PAULA);
                    log.last().put("at", engagedAt);
                }),
                conforms("usage within the bound after a revocation", (log, c) -> {
                    log.grant("grant.revoked", "g1", 1, c.kyc(), "sim-small");
                    callLater(log, c, 500);
                }),
                conforms("usage within the bound after a kill switch", (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s1", "models", "sim-small", PAULA);
                    callLater(log, c, 500);
                }),
                conforms("usage after a two-admin release", (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s1", "models", "sim-small", PAULA);
                    log.killSwitch("killswitch.release-requested", "s1", "models", "sim-small", PAULA);
                    log.killSwitch("killswitch.released", "s1", "models", "sim-small", PAULA, PETE);
                    callLater(log, c, 10);
                }),
                conforms("suspension then reinstatement", (log, c) -> {
                    log.grant("grant.suspended", "g1", 1, c.kyc(), "sim-small");
                    long reinstated = log.tick(5_000).grant("grant.changed", "g1", 1, c.kyc(), "sim-small");
                    log.tick(10).usage("g1", reinstated, "sim-small", "key-1", 1, 1);
                }),
                conforms("tier limits lowered by one admin", (log, c) -> {
                    log.tier(1, 2, PAULA);
                    ((ObjectNode) log.last().get("limits")).put("rpm", 30);
                }),
                conforms("tier limits raised by two admins", (log, c) -> {
                    log.tier(1, 2, PAULA, PETE);
                    ((ObjectNode) log.last().get("limits")).put("rpm", 1_000);
                }),
                conforms("a call at the minute's limit", (log, c) -> {
                    for (int i = 0; i < 55; i++) {
                        log.usage("g1", c.grant1(), "sim-small", "key-1", 1, 1);
                    }
                }),
                conforms("an institution kill switch is reported as not checkable, not as a violation", (log, c) -> {
                    log.killSwitch("killswitch.engaged", "s1", "institutions", "05qwgg493", PAULA);
                    callLater(log, c, 1_500);
                }));
    }

    /** This table's scenarios and those of the incident, trip and seeding rules. */
    static List<Scenario> all() {
        return Stream.concat(scenarios().stream(), IncidentScenarios.scenarios().stream())
                .toList();
    }

    static Stream<Arguments> table() {
        return all().stream().map(Arguments::of);
    }

    @Test
    void theCleanLogConforms() {
        SyntheticLog log = new SyntheticLog();
        clean(log);
        ConformanceReport report = log.check(0);
        assertEquals(List.of(), report.violations(), report.summary());
        assertEquals(4, report.usages());
        assertEquals(2, report.grants());
        assertTrue(report.summary().endsWith("CONFORMS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void eachScenarioBreaksExactlyItsRule(Scenario scenario) {
        SyntheticLog log = new SyntheticLog();
        Clean c = clean(log);
        int before = log.leaves.size();
        scenario.breaks().accept(log, c);
        ConformanceReport report = log.check(0);
        Set<Rule> found = report.violations().stream().map(Violation::rule).collect(Collectors.toSet());
        assertEquals(scenario.expected(), found, report.summary() + "\n" + report.violations());
        for (Violation violation : report.violations()) {
            assertTrue(violation.index() >= before, "the violation is at a leaf the scenario added: " + violation);
            assertEquals(violation.index(), violation.leaves().get(0), "the breaking leaf is named first");
        }
        assertEquals(!scenario.expected().isEmpty(), !report.passed());
    }

    @Test
    void onlyTheRangeIsJudgedButEverythingBeforeItIsReplayed() {
        SyntheticLog log = new SyntheticLog();
        Clean c = clean(log);
        log.model("model.registered", "sim-new", 1, "ACTIVE", 1, PAULA); // a violation before the range
        long from = log.leaves.size();
        log.grant("grant.revoked", "g1", 1, c.kyc(), "sim-small"); // replayed: the revocation is in force
        callLater(log, c, 1_500);
        ConformanceReport report = log.check(from);
        assertEquals(
                List.of(Rule.GRANT_ACTIVE),
                report.violations().stream().map(Violation::rule).toList(),
                report.summary());
        assertEquals(List.of(from + 1, from), report.violations().get(0).leaves());
        assertEquals(1, report.usages());
    }

    @Test
    void theJsonReportListsEveryRuleAndEachViolationWithItsLeaves() {
        SyntheticLog log = new SyntheticLog();
        Clean c = clean(log);
        long revoked = log.grant("grant.revoked", "g1", 1, c.kyc(), "sim-small");
        callLater(log, c, 1_500);
        ObjectNode json = log.check(0).toJson();
        assertEquals(Rule.values().length, json.get("rules").size());
        assertEquals(false, json.get("conforms").asBoolean());
        assertEquals("VA-GRANT-ACTIVE", json.at("/violations/0/rule").asText());
        assertEquals(revoked + 1, json.at("/violations/0/index").asLong());
        assertEquals(revoked, json.at("/violations/0/leaves/1").asLong());
    }

    @Test
    void institutionSwitchesAreNamedAsNotCheckable() {
        SyntheticLog log = new SyntheticLog();
        Clean c = clean(log);
        log.killSwitch("killswitch.engaged", "s1", "countries", "DE", PAULA);
        callLater(log, c, 1_500);
        ConformanceReport report = log.check(0);
        assertTrue(report.passed());
        // The calls that fell in it, and the switch itself (ADR 0045), each named.
        assertEquals(2, report.uncheckable().size(), report.summary());
        assertTrue(report.summary().contains("NOT CHECKED"));
    }

    @Test
    void seedingAtFirstStartPassesWithOneActorAndIsNamedAsNotCheckable() {
        SyntheticLog log = new SyntheticLog();
        // The first start: the seeded tiers, a second version of tier 1 made before versions were leaves (it
        // loosened, by one admin), and a model made then; each with the one actor who made it.
        for (int tier = 1; tier <= 3; tier++) {
            log.tier(tier, 1, "migration");
            log.last().put("seeded", true);
        }
        log.tier(1, 2, PAULA);
        ((ObjectNode) log.last().get("limits")).put("rpm", 1_000);
        log.last().put("seeded", true);
        log.model("model.registered", "sim-small", 1, "ACTIVE", 1, PAULA);
        log.last().put("seeded", true);
        // Then the log sees every change as it is made.
        log.model("model.registered", "sim-large", 3, "ACTIVE", 1, PAULA, PETE);
        long kyc = log.kyc("app-1", "APPROVED", 3, RITA, RAVI);
        long grant = log.grant("grant.issued", "g1", 1, kyc, "sim-small");
        log.tick(1_000).usage("g1", grant, "sim-small", null, 100, 50);
        ConformanceReport report = log.check(0);
        assertEquals(List.of(), report.violations(), report.summary());
        assertTrue(
                report.uncheckable().stream().anyMatch(n -> n.startsWith("5 seeded")),
                report.uncheckable().toString());
    }

    /** Every rule has a scenario that breaks it. */
    @Test
    void everyRuleIsBrokenBySomeScenario() {
        Set<Rule> covered = EnumSet.noneOf(Rule.class);
        all().forEach(s -> covered.addAll(s.expected()));
        assertEquals(EnumSet.allOf(Rule.class), covered);
    }
}
