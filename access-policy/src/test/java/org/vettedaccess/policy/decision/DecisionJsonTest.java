package org.vettedaccess.policy.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.Decision;

/** The decision's JSON is what it was before the record moved to contracts: null fields left out, same names. */
class DecisionJsonTest {

    private static final UUID ID = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final UUID GRANT = UUID.fromString("00000000-0000-4000-8000-000000000002");

    private final ObjectMapper json = customized();

    private static ObjectMapper customized() {
        ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
        new DecisionJson().customize(mapper);
        return mapper;
    }

    @Test
    void aDenyLeavesItsNullFieldsOut() throws Exception {
        Decision deny = new Decision(
                "DENY", List.of("unknown_model"), ID, null, null, null, null, null, null, null, 5000, null);
        assertEquals(
                json.readTree("{\"decision\":\"DENY\",\"reasons\":[\"unknown_model\"],"
                        + "\"decisionId\":\"00000000-0000-4000-8000-000000000001\",\"ttlMillis\":5000}"),
                json.readTree(json.writeValueAsString(deny)));
    }

    @Test
    void anAllowHasTheFieldsTheGatewayReads() throws Exception {
        Decision allow = new Decision(
                "ALLOW",
                List.of(),
                ID,
                GRANT,
                7L,
                2,
                new Decision.Limits(60, 1000, 500, null, 256),
                "sim",
                "v1",
                null,
                1000,
                true);
        JsonNode tree = json.readTree(json.writeValueAsString(allow));
        assertEquals(
                json.readTree("{\"decision\":\"ALLOW\",\"reasons\":[],"
                        + "\"decisionId\":\"00000000-0000-4000-8000-000000000001\","
                        + "\"grantId\":\"00000000-0000-4000-8000-000000000002\",\"grantLeaf\":7,\"tier\":2,"
                        // Only the decision's own nulls are left out, as before; a grant without a budget says so.
                        + "\"limits\":{\"rpm\":60,\"inputTpm\":1000,\"outputTpm\":500,\"tokenBudget\":null,"
                        + "\"maxTokens\":256},\"upstreamRoute\":\"sim\",\"policyVersion\":\"v1\",\"ttlMillis\":1000,"
                        + "\"failClosedOnLedgerOutage\":true}"),
                tree);
        assertEquals(allow, json.treeToValue(tree, Decision.class));
    }

    @Test
    void anAllowNamesTheSubjectsInstitutionAndCountryAndOlderJsonStillReads() throws Exception {
        Decision allow = new Decision(
                "ALLOW",
                List.of(),
                ID,
                GRANT,
                7L,
                2,
                new Decision.Limits(60, 1000, 500, null, 256),
                "sim",
                "v1",
                null,
                1000,
                true,
                "CHAT",
                "TRANSLATED",
                "https://ror.org/052gg0110",
                "GB");
        JsonNode tree = json.readTree(json.writeValueAsString(allow));
        assertEquals("https://ror.org/052gg0110", tree.path("institution").asText());
        assertEquals("GB", tree.path("country").asText());
        assertEquals(allow, json.treeToValue(tree, Decision.class));
        // An access-policy from before the fields: the decision reads, and names no scope.
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove(List.of("institution", "country"));
        Decision older = json.treeToValue(tree, Decision.class);
        assertEquals(null, older.institution());
        assertEquals(null, older.country());
        assertEquals(allow.grantId(), older.grantId());
    }
}
