package org.vettedaccess.e2e.policy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.support.Problems.assertProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuiteException;

/**
 * The catalog and the tiers are ledger leaves with every field a decision depends on, and loosening either
 * needs a second, different policy admin (paula asks, pete confirms): through the running suite, read back from
 * the ledger as the regulator reads it.
 */
@ExtendWith(RunningSuite.class)
class CatalogTierLeavesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CARD_HASH = "0f".repeat(32);

    private PolicyFixture policy;
    private Keycloak keycloak;
    private String paula;
    private String pete;

    @BeforeEach
    void setUp(LocalSuite suite, Keycloak keycloak) {
        this.policy = new PolicyFixture(suite, keycloak);
        this.keycloak = keycloak;
        this.paula = pseudonym("paula");
        this.pete = pseudonym("pete");
    }

    @Test
    void restrictiveCatalogAndTierChangesApplyAtOnceEachALeafWithEveryField() throws Exception {
        String id = "leaves-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> card =
                Map.of("kind", "model-card", "url", "https://lab.example/" + id, "sha256", CARD_HASH);
        policy.putModel(id, Map.of("upstreamRoute", "sim", "trainingFlop", 5e23, "disclosures", List.of(card)))
                .then()
                .statusCode(200);
        JsonNode registered =
                leaf("model.registered", e -> id.equals(e.path("modelId").asText()));
        assertEquals(1, registered.path("version").asInt());
        assertEquals("ELEVATED", registered.path("riskClass").asText());
        assertEquals(List.of(paula, pete), texts(registered.path("actors")), "asked by paula, confirmed by pete");
        assertEquals(
                CARD_HASH, registered.path("disclosures").get(0).path("sha256").asText());

        // More compute and an eval flag only narrow access: applied at once by one admin.
        Response raised = as(policy.admin())
                .body(Map.of(
                        "upstreamRoute",
                        "sim",
                        "trainingFlop",
                        2e25,
                        "evalFlags",
                        List.of("cyber-uplift"),
                        "disclosures",
                        List.of(card)))
                .put(policy.url + "/api/v1/models/" + id);
        raised.then().statusCode(200);
        assertEquals("SYSTEMIC", raised.path("riskClass"));
        assertEquals(3, (int) raised.path("requiredTier"));
        JsonNode changed = leaf(
                "model.changed",
                e -> id.equals(e.path("modelId").asText()) && e.path("version").asInt() == 2);
        assertEquals("sim", changed.path("upstreamRoute").asText());
        assertEquals(2e25, changed.path("trainingFlop").asDouble());
        assertEquals(List.of("cyber-uplift"), texts(changed.path("evalFlags")));
        assertEquals("SYSTEMIC", changed.path("riskClass").asText());
        assertEquals(3, changed.path("requiredTier").asInt());
        assertEquals("ACTIVE", changed.path("status").asText());
        assertEquals(
                "https://lab.example/" + id,
                changed.path("disclosures").get(0).path("url").asText());
        assertEquals(List.of(paula), texts(changed.path("actors")));
        assertTrue(changed.path("changeId").isMissingNode(), "a one-admin change has no change request");

        // A shorter grant limit for tier 3 only narrows access too; put back afterwards by two admins.
        ObjectNode tier3 = tier(3);
        int version = tier3.path("version").asInt();
        try {
            Response shortened = as(policy.admin())
                    .body(tier3.deepCopy().put("maxGrantDays", 89).put("rpm", 9).toString())
                    .put(policy.url + "/api/v1/tiers/3");
            shortened.then().statusCode(200);
            assertEquals(version + 1, (int) shortened.path("version"));
            JsonNode tierLeaf = leaf(
                    "tier.changed",
                    // By paula: the ledger's own tests append sample tier leaves as access-policy's account.
                    e -> e.path("tier").asInt() == 3
                            && e.path("version").asInt() == version + 1
                            && texts(e.path("actors")).equals(List.of(paula)));
            assertEquals(89, tierLeaf.path("maxGrantDays").asInt());
            assertEquals(9, tierLeaf.path("limits").path("rpm").asInt());
            assertEquals(
                    tier3.path("inputTpm").asInt(),
                    tierLeaf.path("limits").path("inputTpm").asInt());
            assertEquals(
                    tier3.path("tokenBudget").asLong(),
                    tierLeaf.path("limits").path("tokenBudget").asLong());
            assertEquals(
                    tier3.path("minAssurance").asInt(),
                    tierLeaf.path("minAssurance").asInt());
            assertEquals(
                    tier3.path("reviewers").asInt(), tierLeaf.path("reviewers").asInt());
            assertTrue(tierLeaf.path("purposeRequired").asBoolean());
            assertEquals(
                    tier3.path("keyMaxDays").asInt(),
                    tierLeaf.path("keyMaxDays").asInt());
            assertFalse(tierLeaf.path("autoGrant").asBoolean());
            assertEquals(texts(tier3.path("endpoints")), texts(tierLeaf.path("endpoints")));
            assertEquals(List.of(paula), texts(tierLeaf.path("actors")));
        } finally {
            putTierAsTwoAdmins(tier3);
        }

        // The tiers Flyway seeded are leaves too, so the policy in force from the start is in the log.
        JsonNode seeded = leaf(
                "tier.changed",
                e -> e.path("tier").asInt() == 1 && e.path("version").asInt() == 1);
        assertEquals(1, seeded.path("minAssurance").asInt());
        assertEquals(60, seeded.path("limits").path("rpm").asInt());
        assertTrue(seeded.path("limits").path("tokenBudget").isMissingNode(), "tier 1 has no budget");
        assertTrue(seeded.path("autoGrant").asBoolean());
        // Marked as seeding (one actor, "migration"): conformance accepts it only before the first ordinary change.
        assertTrue(seeded.path("seeded").asBoolean(), seeded.toString());
    }

    @Test
    void aPermissiveCatalogChangeWithoutASecondAdminStaysPendingAndChangesNothing() throws Exception {
        String id = "frontier-" + UUID.randomUUID().toString().substring(0, 8);
        policy.putModel(id, 3e25, List.of("cyber-uplift")).then().statusCode(200);
        String alice = policy.subjectOf("alice");
        policy.approve(alice, 3, 3);

        // One admin sets the frontier model's compute to 0 and drops its flags: a tier-1 model if it applied.
        Response asked = as(policy.admin())
                .body(Map.of("upstreamRoute", "sim", "trainingFlop", 0, "evalFlags", List.of()))
                .put(policy.url + "/api/v1/models/" + id);
        asked.then().statusCode(202);
        String changeId = asked.path("id");
        assertEquals("PENDING", asked.path("status"));
        assertEquals("MODEL", asked.path("kind"));
        assertEquals(1, (int) asked.path("model.requiredTier"));
        JsonNode requested = entry(((Number) asked.path("requestedLeaf")).longValue());
        assertEquals("model.change-requested", requested.path("type").asText());
        JsonNode request = requested.path("entry");
        assertEquals(id, request.path("modelId").asText());
        assertEquals(0.0, request.path("trainingFlop").asDouble());
        assertEquals(List.of(), texts(request.path("evalFlags")));
        assertEquals(1, request.path("requiredTier").asInt());
        assertEquals(2, request.path("version").asInt());
        assertEquals(changeId, request.path("changeId").asText());
        assertEquals(List.of(paula), texts(request.path("actors")));

        // Nothing changed: the catalog, and what a tier-1 grant may reach.
        assertUnchanged(id);
        policy.grant(alice, List.of(id), 1, 30).then().statusCode(422);
        assertEquals("no_grant", policy.decision(alice, id));

        // The same admin cannot confirm her own change.
        assertProblem(policy.confirm(policy.admin(), changeId), 409, "conflict");
        assertUnchanged(id);

        // A second, different admin's confirmation applies it, as a leaf naming both.
        Response confirmed = policy.confirm(policy.secondAdmin(), changeId);
        confirmed.then().statusCode(200);
        assertEquals("APPLIED", confirmed.path("status"));
        JsonNode applied = entry(((Number) confirmed.path("appliedLeaf")).longValue());
        assertEquals("model.changed", applied.path("type").asText());
        assertEquals(List.of(paula, pete), texts(applied.path("entry").path("actors")));
        assertEquals(changeId, applied.path("entry").path("changeId").asText());
        assertEquals(0.0, applied.path("entry").path("trainingFlop").asDouble());
        assertEquals(1, applied.path("entry").path("requiredTier").asInt());
        assertEquals("STANDARD", applied.path("entry").path("riskClass").asText());
        JsonNode model = read(given().auth().oauth2(policy.admin()).get(policy.url + "/api/v1/models/" + id));
        assertEquals(0.0, model.path("trainingFlop").asDouble());
        assertEquals(1, model.path("requiredTier").asInt());
        assertEquals(2, model.path("version").asInt());
        policy.grant(alice, List.of(id), 1, 30).then().statusCode(200);
        assertEquals("ALLOW", policy.decision(alice, id));
        assertProblem(policy.confirm(policy.secondAdmin(), changeId), 409, "conflict");

        // A pending change another admin refuses never applies.
        String rerouted = as(policy.admin())
                .body(Map.of("upstreamRoute", "sim-other", "trainingFlop", 0))
                .put(policy.url + "/api/v1/models/" + id)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        given().auth()
                .oauth2(policy.secondAdmin())
                .post(policy.url + "/api/v1/change-requests/" + rerouted + "/withdraw")
                .then()
                .statusCode(200);
        assertEquals(
                "REFUSED",
                given().auth()
                        .oauth2(policy.admin())
                        .get(policy.url + "/api/v1/change-requests/" + rerouted)
                        .path("status"));
        assertProblem(policy.confirm(policy.secondAdmin(), rerouted), 409, "conflict");
        assertEquals(
                "sim",
                given().auth()
                        .oauth2(policy.admin())
                        .get(policy.url + "/api/v1/models/" + id)
                        .path("upstreamRoute"));
    }

    @Test
    void aPermissiveTierChangeWaitsForASecondAdmin() throws Exception {
        ObjectNode tier2 = tier(2);
        int version = tier2.path("version").asInt();
        int rpm = tier2.path("rpm").asInt();
        Response asked = as(policy.admin())
                .body(tier2.deepCopy().put("rpm", rpm + 5).toString())
                .put(policy.url + "/api/v1/tiers/2");
        asked.then().statusCode(202);
        String changeId = asked.path("id");
        try {
            assertEquals("TIER", asked.path("kind"));
            assertEquals(rpm + 5, (int) asked.path("tier.rpm"));
            JsonNode requested = entry(((Number) asked.path("requestedLeaf")).longValue());
            assertEquals("tier.change-requested", requested.path("type").asText());
            assertEquals(
                    rpm + 5, requested.path("entry").path("limits").path("rpm").asInt());
            assertEquals(version + 1, requested.path("entry").path("version").asInt());
            assertEquals(List.of(paula), texts(requested.path("entry").path("actors")));
            assertEquals(version, tier(2).path("version").asInt(), "the tier is unchanged while pending");
            assertEquals(rpm, tier(2).path("rpm").asInt());

            assertProblem(policy.confirm(policy.admin(), changeId), 409, "conflict");
            assertEquals(rpm, tier(2).path("rpm").asInt());

            Response confirmed = policy.confirm(policy.secondAdmin(), changeId);
            confirmed.then().statusCode(200);
            JsonNode applied = entry(((Number) confirmed.path("appliedLeaf")).longValue());
            assertEquals("tier.changed", applied.path("type").asText());
            assertEquals(List.of(paula, pete), texts(applied.path("entry").path("actors")));
            assertEquals(changeId, applied.path("entry").path("changeId").asText());
            assertEquals(
                    rpm + 5, applied.path("entry").path("limits").path("rpm").asInt());
            assertEquals(rpm + 5, tier(2).path("rpm").asInt());
            assertEquals(version + 1, tier(2).path("version").asInt());
        } finally {
            // Lowering it back only narrows access: one admin, at once.
            as(policy.admin())
                    .body(tier2.toString())
                    .put(policy.url + "/api/v1/tiers/2")
                    .then()
                    .statusCode(200);
        }
        assertEquals(rpm, tier(2).path("rpm").asInt());
    }

    @Test
    void aKillSwitchReleaseRequestIsALeaf() throws Exception {
        String killSwitch = as(policy.admin())
                .body(Map.of("scope", "MODEL", "value", "release-" + UUID.randomUUID(), "reason", "e2e release leaf"))
                .post(policy.url + "/api/v1/killswitches")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        Response asked = given().auth()
                .oauth2(policy.admin())
                .post(policy.url + "/api/v1/killswitches/" + killSwitch + "/release");
        asked.then().statusCode(200);
        assertEquals("RELEASE_REQUESTED", asked.path("state"));
        JsonNode requested = entry(((Number) asked.path("releaseRequestedLeaf")).longValue());
        assertEquals("killswitch.release-requested", requested.path("type").asText());
        assertEquals(killSwitch, requested.path("entry").path("switchId").asText());
        assertEquals(List.of(paula), texts(requested.path("entry").path("actors")));
        given().auth()
                .oauth2(policy.secondAdmin())
                .post(policy.url + "/api/v1/killswitches/" + killSwitch + "/release")
                .then()
                .statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("RELEASED"));
    }

    @Test
    void withTheLedgerDownALooseningIsRefusedAndASuspensionStillApplies(LocalSuite suite) throws Exception {
        String id = "ledger-down-" + UUID.randomUUID().toString().substring(0, 8);
        policy.putModel(id, 5e23, List.of()).then().statusCode(200);
        int requestsBefore = read(given().auth().oauth2(policy.admin()).get(policy.url + "/api/v1/change-requests"))
                .size();
        suite.stop("usage-ledger");
        try {
            assertProblem(
                    as(policy.admin())
                            .body(Map.of("upstreamRoute", "sim", "trainingFlop", 1e22))
                            .put(policy.url + "/api/v1/models/" + id),
                    503,
                    "unavailable");
            assertEquals(
                    requestsBefore,
                    read(given().auth().oauth2(policy.admin()).get(policy.url + "/api/v1/change-requests"))
                            .size(),
                    "a change request whose leaf could not be written is not stored");
            // Restrictive changes never wait: the suspension applies now, its leaf from the outbox later.
            as(policy.admin())
                    .body(Map.of("upstreamRoute", "sim", "trainingFlop", 5e23, "status", "SUSPENDED"))
                    .put(policy.url + "/api/v1/models/" + id)
                    .then()
                    .statusCode(200);
            assertEquals("model_suspended", policy.decision(policy.subjectOf("alice"), id));
        } finally {
            restart(suite);
        }
        JsonNode suspended = leaf(
                "model.changed",
                e -> id.equals(e.path("modelId").asText()) && e.path("version").asInt() == 2);
        assertEquals("SUSPENDED", suspended.path("status").asText());
        assertEquals(
                5e23,
                read(given().auth().oauth2(policy.admin()).get(policy.url + "/api/v1/models/" + id))
                        .path("trainingFlop")
                        .asDouble());
    }

    private void assertUnchanged(String id) {
        JsonNode model = read(given().auth().oauth2(policy.admin()).get(policy.url + "/api/v1/models/" + id));
        assertEquals(3e25, model.path("trainingFlop").asDouble());
        assertEquals(List.of("cyber-uplift"), texts(model.path("evalFlags")));
        assertEquals("SYSTEMIC", model.path("riskClass").asText());
        assertEquals(3, model.path("requiredTier").asInt());
        assertEquals(1, model.path("version").asInt());
    }

    private io.restassured.specification.RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private ObjectNode tier(int number) {
        for (JsonNode tier : read(given().auth().oauth2(policy.admin()).get(policy.url + "/api/v1/tiers"))) {
            if (tier.path("tier").asInt() == number) {
                return (ObjectNode) tier;
            }
        }
        throw new AssertionError("no tier " + number);
    }

    private void putTierAsTwoAdmins(ObjectNode tier) {
        Response put = as(policy.admin())
                .body(tier.toString())
                .put(policy.url + "/api/v1/tiers/" + tier.path("tier").asInt());
        if (put.statusCode() == 202) {
            policy.confirm(policy.secondAdmin(), put.path("id")).then().statusCode(200);
        } else {
            put.then().statusCode(200);
        }
    }

    /** The user's pseudonym in the ledger, as the ledger tells them. */
    private String pseudonym(String user) {
        return given().auth()
                .oauth2(keycloak.userToken(user))
                .get(policy.ledger.url() + "/api/v1/pseudonyms/me")
                .then()
                .statusCode(200)
                .extract()
                .path("pseudonym");
    }

    /** One entry as the regulator reads it. */
    private JsonNode entry(long index) {
        Response response =
                given().auth().oauth2(keycloak.userToken("greg")).get(policy.ledger.url() + "/api/v1/entries/" + index);
        response.then().statusCode(200);
        return read(response);
    }

    /**
     * The entry of {@code type} that {@code which} picks, as the regulator reads it; waits for it (a restrictive
     * change's leaf comes from the outbox, after the change).
     */
    private JsonNode leaf(String type, Predicate<JsonNode> which) throws InterruptedException {
        String greg = keycloak.userToken("greg");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            Long after = null;
            do {
                JsonNode page = read(given().auth()
                        .oauth2(greg)
                        .get(policy.ledger.url() + "/api/v1/entries?limit=500&type=" + type
                                + (after == null ? "" : "&after=" + after)));
                for (JsonNode entry : page.path("entries")) {
                    if (which.test(entry.path("entry"))) {
                        return entry.path("entry");
                    }
                }
                after = page.path("next").isNumber() ? page.path("next").asLong() : null;
            } while (after != null);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such " + type + " leaf in the ledger");
            }
            Thread.sleep(250);
        }
    }

    private static void restart(LocalSuite suite) {
        try {
            suite.restart("usage-ledger");
        } catch (SuiteException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static JsonNode read(Response response) {
        try {
            return JSON.readTree(response.asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
