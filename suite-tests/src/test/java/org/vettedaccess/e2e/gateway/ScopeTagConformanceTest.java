package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.ConformanceProbe;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.ledger.core.ScopeTags;
import org.vettedaccess.suite.LocalSuite;

/**
 * Keyed scope tags (ADR 0046, issues 20 and 21) through the real suite: a researcher's real call carries tags that
 * the regulator's key (the suite's demo key) reproduces for their institution and country; after a real INSTITUTION
 * kill switch on that institution, a usage leaf breaching it (appended with the gateway's own account, tagged as
 * the gateway tags) is named by the ledger's conformance endpoint and by the CLI with {@code --scope-key}, and only
 * counted as not checked by the CLI without the key.
 */
@ExtendWith(RunningSuite.class)
class ScopeTagConformanceTest {

    private static final ScopeTags KEY = ScopeTags.parse(LocalSuite.SCOPE_TAGS_DEMO_KEY);

    /** An institution of this run alone (a ROR id's shape), so that its switch stops no other test's calls. */
    private static String institution() {
        String alphabet = "abcdefghjkmnpqrstvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder ror = new StringBuilder("0");
        for (int i = 0; i < 6; i++) {
            ror.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return ror.append(random.nextInt(10)).append(random.nextInt(10)).toString();
    }

    @Test
    void anInstitutionSwitchIsJudgedOnTaggedLeavesWithTheRegulatorsKey(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        ConformanceProbe conformance = new ConformanceProbe(suite, keycloak);
        Ledger ledger = gateway.policy.ledger;
        long from = conformance.size();
        String ror = institution();
        String user = "stc-" + UUID.randomUUID().toString().substring(0, 8);
        String subject = keycloak.newUser(user, List.of("researcher"));
        gateway.policy.approve(subject, 3, 3, "https://ror.org/" + ror, "NZ");
        String model = gateway.catalogModel(1);
        Response grant = gateway.policy.grant(subject, List.of(model), 1, 30);
        grant.then().statusCode(200);
        String grantId = grant.path("id");
        long grantLeaf = ((Number) grant.path("leafIndex")).longValue();
        String key = gateway.key(user, grantId);

        // A normal call: its real leaf carries tags the regulator's key reproduces, and no other institution's.
        Response call = gateway.chat(key, model, 2);
        call.then().statusCode(200);
        long honest = gateway.deliveredReceipt(user, call.header("x-request-id"))
                .path("ledgerIndex")
                .asLong();
        JsonNode leaf = gateway.ledgerEntry(honest);
        JsonNode tags = leaf.path("scopeTags");
        String commitment = leaf.path("promptCommitment").asText();
        assertEquals(KEY.id(), tags.path("key").asText(), leaf.toString());
        assertEquals(
                KEY.tag(commitment, ScopeTags.INSTITUTION, ror),
                tags.path("institution").asText());
        assertEquals(
                KEY.tag(commitment, ScopeTags.COUNTRY, "NZ"),
                tags.path("country").asText());
        assertTrue(!KEY.tag(commitment, ScopeTags.INSTITUTION, "05qwgg493")
                .equals(tags.path("institution").asText()));

        // A real INSTITUTION kill switch: the gateway refuses the institution's calls.
        Response engaged = given().auth()
                .oauth2(gateway.token("paula"))
                .contentType(ContentType.JSON)
                .body(Map.of("scope", "INSTITUTION", "value", ror, "reason", "scope-tag conformance e2e"))
                .post(gateway.policy.url + "/api/v1/killswitches");
        engaged.then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        String switchId = engaged.path("id");
        Response refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            GatewayFixture.sleep(100);
            Response answer = gateway.chat(key, model, 2);
            refused = answer.statusCode() == 200 ? null : answer;
        }
        assertOpenAiError(refused, 403, "kill_switch_engaged");

        // 1.5 s later a call from the institution is recorded all the same (the gateway's own account), tagged as
        // the gateway tags every call: the breach conformance must name.
        GatewayFixture.sleep(1_500);
        long breach = appendTaggedUsage(ledger, subject, model, grantId, grantLeaf, ror);
        for (String admin : List.of("paula", "pete")) {
            given().auth()
                    .oauth2(gateway.token(admin))
                    .post(gateway.policy.url + "/api/v1/killswitches/" + switchId + "/release")
                    .then()
                    .statusCode(200);
        }
        GatewayFixture.sleep(500);
        long to = conformance.size();

        // The ledger's endpoint holds the suite's key: exactly that violation, naming the call and the switch.
        JsonNode report = conformance.report(from, to);
        Map<Long, List<String>> found = ConformanceProbe.rulesByIndex(report);
        assertEquals(
                Map.of(breach, List.of("VA-KILLSWITCH")),
                found,
                report.path("violations").toString());
        JsonNode proof = report.path("violations").get(0).path("leaves");
        assertEquals(breach, proof.get(0).asLong());
        JsonNode switchLeaf = gateway.ledgerEntry(proof.get(1).asLong());
        assertEquals("killswitch.engaged", switchLeaf.path("type").asText(), switchLeaf.toString());
        assertEquals(switchId, switchLeaf.path("switchId").asText());

        // The CLI with the regulator's key says the same; without it, the call is counted as not checked.
        ConformanceProbe.Run withKey = conformance.cli(from, to, "--scope-key", LocalSuite.SCOPE_TAGS_DEMO_KEY);
        assertEquals(1, withKey.exit(), withKey.output());
        assertTrue(withKey.output().contains("VA-KILLSWITCH at " + breach + ":"), withKey.output());
        assertTrue(withKey.output().contains("DOES NOT CONFORM: 1 violation(s)"), withKey.output());
        ConformanceProbe.Run withoutKey = conformance.cli(from, to);
        assertEquals(0, withoutKey.exit(), withoutKey.output());
        assertTrue(
                withoutKey.output().contains("NOT CHECKED 1 usage leaf/leaves fell in the span"), withoutKey.output());
        assertTrue(withoutKey.output().contains("[" + breach + "]"), withoutKey.output());
    }

    /** A usage on the grant, started now, from {@code ror} in NZ, tagged under the suite's key, as the gateway. */
    private static long appendTaggedUsage(
            Ledger ledger, String subject, String model, String grantId, long grantLeaf, String ror) {
        byte[] salted = new byte[32];
        new SecureRandom().nextBytes(salted);
        String commitment = HexFormat.of().formatHex(salted);
        Map<String, Object> tags = Map.of(
                "key", KEY.id(),
                "institution", KEY.tag(commitment, ScopeTags.INSTITUTION, ror),
                "country", KEY.tag(commitment, ScopeTags.COUNTRY, "NZ"));
        GatewayFixture.Granted granted = new GatewayFixture.Granted(null, subject, model, grantId, grantLeaf, 1);
        return ConformanceReplayTest.appendUsage(
                ledger, granted, Map.of("promptCommitment", commitment, "scopeTags", tags));
    }
}
