package org.vettedaccess.policy.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.DecisionRequest;
import org.vettedaccess.policy.assurance.AssuranceEntity;
import org.vettedaccess.policy.catalog.ModelEntity;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.policy.grant.GrantEntity;
import org.vettedaccess.policy.killswitch.KillSwitchEntity;
import org.vettedaccess.policy.tier.TierEntity;

/**
 * An INSTITUTION or COUNTRY kill switch that names a model stops only that model's calls from its scope (ADR 0045);
 * one without a model stops every model of the scope, as before.
 */
class ScopedKillSwitchDecisionTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static ModelEntity model(String id) {
        ModelEntity model = new ModelEntity();
        model.id = id;
        model.status = "ACTIVE";
        model.requiredTier = 1;
        model.upstreamRoute = "sim";
        return model;
    }

    private static KillSwitchEntity kill(String scope, String value, String model) {
        KillSwitchEntity kill = new KillSwitchEntity();
        kill.id = UUID.randomUUID();
        kill.scopeKind = scope;
        kill.scopeValue = value;
        kill.scopeModel = model;
        return kill;
    }

    /** The decisions on m1 and m2 of a subject of institution 052gg0110 (stored as its URL) in GB. */
    private static List<String> decide(KillSwitchEntity... engaged) {
        PolicyConfig config = mock(PolicyConfig.class);
        when(config.decisionTtl()).thenReturn(Duration.ofSeconds(5));
        GrantEntity grant = new GrantEntity();
        grant.id = UUID.randomUUID();
        grant.subject = "s";
        grant.models = new String[] {"m1", "m2"};
        grant.tier = 1;
        grant.status = "ACTIVE";
        grant.validFrom = NOW.minus(Duration.ofDays(1));
        grant.validUntil = NOW.plus(Duration.ofDays(30));
        grant.leafIndex = 7L;
        TierEntity tier = new TierEntity();
        tier.tier = 1;
        tier.minAssurance = 1;
        tier.maxTokens = 4096;
        tier.endpoints = new String[] {"/v1/chat/completions"};
        AssuranceEntity assurance = new AssuranceEntity();
        assurance.subject = "s";
        assurance.status = "APPROVED";
        assurance.assuranceLevel = 2;
        assurance.kycLeaf = 3L;
        // A row written before assurances were stored bare: the decision still compares it bare.
        assurance.institution = "https://ror.org/052gg0110";
        assurance.country = "GB";
        PolicyState state =
                new PolicyState(1, Map.of("m1", model("m1"), "m2", model("m2")), Map.of(1, tier), List.of(engaged));
        DecisionService service = new DecisionService(
                mock(PolicySnapshot.class), mock(SubjectRows.class), config, Clock.fixed(NOW, ZoneOffset.UTC));
        SubjectRows.Rows rows = new SubjectRows.Rows(assurance, List.of(grant));
        return List.of("m1", "m2").stream()
                .map(m -> {
                    var d = service.evaluate(
                            new DecisionRequest("s", m, "/v1/chat/completions", 100), 5000, state, rows);
                    return d.decision().equals("ALLOW") ? "ALLOW" : d.reason();
                })
                .toList();
    }

    @Test
    void aSwitchThatNamesAModelStopsOnlyThatModelFromItsScope() {
        assertEquals(List.of("ALLOW", "ALLOW"), decide());
        assertEquals(List.of("kill_switch_engaged", "ALLOW"), decide(kill("INSTITUTION", "052gg0110", "m1")));
        assertEquals(List.of("ALLOW", "kill_switch_engaged"), decide(kill("COUNTRY", "GB", "m2")));
        // Another institution's or country's switch on the model stops nobody here.
        assertEquals(List.of("ALLOW", "ALLOW"), decide(kill("INSTITUTION", "05qwgg493", "m1")));
        assertEquals(List.of("ALLOW", "ALLOW"), decide(kill("COUNTRY", "DE", "m1")));
    }

    @Test
    void aSwitchWithoutAModelStopsEveryModelOfItsScopeAsBefore() {
        assertEquals(
                List.of("kill_switch_engaged", "kill_switch_engaged"), decide(kill("INSTITUTION", "052gg0110", null)));
        assertEquals(List.of("kill_switch_engaged", "kill_switch_engaged"), decide(kill("COUNTRY", "GB", null)));
    }
}
