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
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;
import org.vettedaccess.policy.assurance.AssuranceEntity;
import org.vettedaccess.policy.catalog.ModelEntity;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.policy.grant.GrantEntity;
import org.vettedaccess.policy.tier.TierEntity;

/** Grant expiry follows the service's clock, which a test sets instead of sleeping; an allow names the subject's scope. */
class DecisionExpiryTest {

    private static final Instant END = Instant.parse("2026-12-31T00:00:00Z");

    private Decision decideAt(Instant now) {
        PolicyConfig config = mock(PolicyConfig.class);
        when(config.decisionTtl()).thenReturn(Duration.ofSeconds(5));

        ModelEntity model = new ModelEntity();
        model.id = "m";
        model.status = "ACTIVE";
        model.requiredTier = 2;
        model.upstreamRoute = "sim";
        GrantEntity grant = new GrantEntity();
        grant.id = UUID.randomUUID();
        grant.subject = "s";
        grant.models = new String[] {"m"};
        grant.tier = 2;
        grant.status = "ACTIVE";
        grant.validFrom = END.minus(Duration.ofDays(30));
        grant.validUntil = END;
        grant.leafIndex = 7L;
        TierEntity tier = new TierEntity();
        tier.tier = 2;
        tier.minAssurance = 2;
        tier.maxTokens = 4096;
        tier.endpoints = new String[] {"/v1/chat/completions"};
        AssuranceEntity assurance = new AssuranceEntity();
        assurance.subject = "s";
        assurance.status = "APPROVED";
        assurance.assuranceLevel = 2;
        assurance.kycLeaf = 3L;
        assurance.institution = "https://ror.org/052gg0110";
        assurance.country = "GB";
        PolicyState state = new PolicyState(1, Map.of("m", model), Map.of(2, tier), List.of());

        DecisionService service = new DecisionService(
                mock(PolicySnapshot.class), mock(SubjectRows.class), config, Clock.fixed(now, ZoneOffset.UTC));
        return service.evaluate(
                new DecisionRequest("s", "m", "/v1/chat/completions", 100),
                5000,
                state,
                new SubjectRows.Rows(assurance, List.of(grant)));
    }

    @Test
    void aGrantAllowsUntilItsEndAndNotAMomentAfter() {
        Decision before = decideAt(END.minusSeconds(2));
        assertEquals("ALLOW", before.decision());
        assertEquals(2000, before.ttlMillis(), "an allow is never reused past the grant's end");
        // The scope a kill switch's INSTITUTION and COUNTRY match, for the gateway's tripwires (ADR 0050), the
        // institution as its bare ROR id whichever way it was stored (ADR 0045).
        assertEquals("052gg0110", before.institution());
        assertEquals("GB", before.country());
        Decision atEnd = decideAt(END);
        assertEquals("DENY", atEnd.decision());
        assertEquals(List.of("grant_expired"), atEnd.reasons());
    }
}
