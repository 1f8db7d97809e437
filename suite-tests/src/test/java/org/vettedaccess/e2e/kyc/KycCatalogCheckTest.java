package org.vettedaccess.e2e.kyc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * kyc-service's own API takes requested models from access-policy's catalog (ADR 0042), not only the portal: an
 * unknown or suspended model and a tier below the models' need are 400s naming the field, and with access-policy
 * down the request is a 503 with nothing saved, never accepted unchecked. At submit the saved request is checked
 * again: a model suspended since it was saved is a 422 naming the field, and with access-policy down the submit is
 * a 503 and the application stays a draft; a resubmit after a reviewer sent it back is checked the same way (422).
 */
@ExtendWith(RunningSuite.class)
class KycCatalogCheckTest {

    private static Response post(String token, String url, Object body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .post(url);
    }

    private static Map<String, Object> request(int tier, List<String> models) {
        Map<String, Object> body = new HashMap<>();
        body.put("legalName", "Catalog Probe");
        body.put("requestedTier", tier);
        body.put("requestedModels", models);
        return body;
    }

    private static void assertField(Response response, String field) {
        assertEquals(400, response.statusCode(), response.asString());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        assertTrue(response.path("detail").toString().startsWith("'" + field + "'"), response.asString());
    }

    @Test
    void theApiRefusesModelsTheCatalogDoesNotOfferWhenSavedSubmittedOrResubmitted(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        String applications = suite.serviceUrl("kyc-service") + "/api/v1/applications";
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String small = policy.smallModel();
        String frontier = "kyc-cat-frontier-" + UUID.randomUUID().toString().substring(0, 8);
        policy.putModel(frontier, 2e25, List.of())
                .then()
                .statusCode(200)
                .body("requiredTier", org.hamcrest.Matchers.equalTo(3));
        String paused = "kyc-cat-paused-" + UUID.randomUUID().toString().substring(0, 8);
        policy.putModel(paused, 1e22, List.of()).then().statusCode(200);
        given().auth()
                .oauth2(policy.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("upstreamRoute", "sim", "trainingFlop", 1e22, "status", "SUSPENDED"))
                .put(policy.url + "/api/v1/models/" + paused)
                .then()
                .statusCode(200);
        String token = keycloak.userToken("alice");

        post(token, applications, request(1, List.of(small))).then().statusCode(201);
        post(token, applications, request(3, List.of(small, frontier))).then().statusCode(201);
        assertField(post(token, applications, request(1, List.of("sim-small"))), "requestedModels");
        assertField(post(token, applications, request(1, List.of(paused))), "requestedModels");
        assertField(post(token, applications, request(2, List.of(small, frontier))), "requestedTier");
        // An edit is checked the same way.
        String draft = post(token, applications, request(1, List.of(small))).path("id");
        Response edit = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("requestedModels", List.of(frontier)))
                .put(applications + "/" + draft);
        assertField(edit, "requestedTier");

        // At submit, against the catalog as it is then: a model suspended since the draft was saved is a 422.
        String username = "kcat" + UUID.randomUUID().toString().substring(0, 6);
        keycloak.newUser(username, List.of("researcher"));
        String researcher = keycloak.userToken(username);
        String later = "kyc-cat-later-" + UUID.randomUUID().toString().substring(0, 8);
        policy.putModel(later, 1e22, List.of()).then().statusCode(200);
        String suspendedSince = post(researcher, applications, complete(username, later))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        // A resubmit is checked the same way: an application sent back for changes, whose model is suspended since.
        String sentBack = post(researcher, applications, complete(username, later))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        assertEquals(200, submit(researcher, applications, sentBack).statusCode());
        String rita = keycloak.userToken("rita");
        given().auth()
                .oauth2(rita)
                .post(applications + "/" + sentBack + "/claim")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(rita)
                .contentType(ContentType.JSON)
                .body(Map.of("decision", "REQUEST_CHANGES", "reason", "Please name the study's ethics approval."))
                .post(applications + "/" + sentBack + "/decide")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(policy.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("upstreamRoute", "sim", "trainingFlop", 1e22, "status", "SUSPENDED"))
                .put(policy.url + "/api/v1/models/" + later)
                .then()
                .statusCode(200);
        Response refused = submit(researcher, applications, suspendedSince);
        assertEquals(422, refused.statusCode(), refused.asString());
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        assertTrue(refused.path("detail").toString().startsWith("'requestedModels'"), refused.asString());
        assertTrue(refused.path("detail").toString().contains(later), refused.asString());
        assertEquals("DRAFT", state(researcher, applications, suspendedSince));
        Response resubmitted = given().auth().oauth2(researcher).post(applications + "/" + sentBack + "/resubmit");
        assertEquals(422, resubmitted.statusCode(), resubmitted.asString());
        assertTrue(resubmitted.path("detail").toString().startsWith("'requestedModels'"), resubmitted.asString());
        assertTrue(resubmitted.path("detail").toString().contains(later), resubmitted.asString());
        assertEquals("CHANGES_REQUESTED", state(researcher, applications, sentBack));
    }

    /**
     * With access-policy down the catalog cannot be read: a new request is a 503 with nothing saved, and a submit is a
     * 503 with the application still a draft, never accepted unchecked; once access-policy is back the submit goes
     * through. Restarts access-policy once.
     */
    @Test
    void withTheCatalogUnreadableNothingIsSavedOrSubmitted(LocalSuite suite, Keycloak keycloak) throws Exception {
        String applications = suite.serviceUrl("kyc-service") + "/api/v1/applications";
        PolicyFixture policy = new PolicyFixture(suite, keycloak);
        String small = policy.smallModel();
        String token = keycloak.userToken("alice");
        String username = "kcat" + UUID.randomUUID().toString().substring(0, 6);
        keycloak.newUser(username, List.of("researcher"));
        String researcher = keycloak.userToken(username);
        String unreadable = post(researcher, applications, complete(username, small))
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        int before = given().auth()
                .oauth2(token)
                .get(applications)
                .then()
                .extract()
                .jsonPath()
                .getList("id")
                .size();
        try {
            suite.stop("access-policy");
            Response down = post(token, applications, request(1, List.of(small)));
            assertEquals(503, down.statusCode(), down.asString());
            assertTrue(down.contentType().startsWith("application/problem+json"), down.contentType());
            // A submit that cannot be checked is not made: 503, and the application stays a draft.
            Response submit = submit(researcher, applications, unreadable);
            assertEquals(503, submit.statusCode(), submit.asString());
            assertTrue(submit.contentType().startsWith("application/problem+json"), submit.contentType());
            assertEquals("DRAFT", state(researcher, applications, unreadable));
        } finally {
            suite.restart("access-policy");
        }
        Response submitted = submit(researcher, applications, unreadable);
        assertEquals(200, submitted.statusCode(), submitted.asString());
        assertEquals(
                before,
                given().auth()
                        .oauth2(token)
                        .get(applications)
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("id")
                        .size(),
                "nothing was saved while the catalog could not be read");
    }

    private static Response submit(String token, String applications, String id) {
        return given().auth().oauth2(token).post(applications + "/" + id + "/submit");
    }

    private static String state(String token, String applications, String id) {
        return given().auth()
                .oauth2(token)
                .get(applications + "/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("state");
    }

    /** A complete tier-1 application for the model, ready to submit. */
    private static Map<String, Object> complete(String username, String model) {
        Map<String, Object> body = request(1, List.of(model));
        body.put("legalName", "Catalog Submitter");
        body.put("email", username + "@example.org");
        body.put("affiliation", "Technical University of Munich");
        body.put("rorId", "02kkvpp62");
        body.put("institutionalEmail", username + "@tum.de");
        body.put("orcid", "0000-0002-1825-0097");
        body.put("country", "DE");
        body.put("position", "Postdoctoral researcher");
        body.put("purpose", "Measuring refusal consistency of small models for a peer-reviewed study.");
        body.put("fundingSources", "University funds only");
        body.put("conflictsOfInterest", "None");
        body.put("termsAccepted", true);
        body.put("termsVersion", "2026-01");
        return body;
    }
}
