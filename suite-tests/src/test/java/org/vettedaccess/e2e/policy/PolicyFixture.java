package org.vettedaccess.e2e.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.suite.LocalSuite;

/** access-policy as its callers use it: admins, kyc-service's and the gateway's service accounts. */
public final class PolicyFixture {

    public static final String ALICE_ROR = "05qwgg493";
    public static final String ALICE_COUNTRY = "DE";

    public final String url;
    public final Keycloak keycloak;
    public final Ledger ledger;

    public PolicyFixture(LocalSuite suite, Keycloak keycloak) {
        this.url = suite.serviceUrl("access-policy");
        this.keycloak = keycloak;
        this.ledger = new Ledger(suite, keycloak);
    }

    public String admin() {
        return keycloak.userToken("paula");
    }

    /** The second policy admin, who confirms what paula asks for when it loosens the catalog or a tier. */
    public String secondAdmin() {
        return keycloak.userToken("pete");
    }

    public String gateway() {
        return keycloak.clientToken("gateway", "gateway-demo-secret");
    }

    public String kycService() {
        return keycloak.clientToken("kyc-service", "kyc-service-demo-secret");
    }

    public String subjectOf(String user) {
        return Jwts.payload(keycloak.userToken(user)).get("sub").asText();
    }

    /**
     * Sets a model as a lab does: paula's PUT, and when it loosens the catalog (a new model, lower risk inputs:
     * 202 with a pending change request) pete's confirmation. Returns the model as it then is (200), or the
     * PUT's refusal.
     */
    public Response putModel(String id, double flop, List<String> flags) {
        return putModel(id, Map.of("upstreamRoute", "sim", "trainingFlop", flop, "evalFlags", flags));
    }

    public Response putModel(String id, Map<String, Object> model) {
        Response put = given().auth()
                .oauth2(admin())
                .contentType(ContentType.JSON)
                .body(model)
                .put(url + "/api/v1/models/" + id);
        if (put.statusCode() != 202) {
            return put;
        }
        confirm(secondAdmin(), put.path("id")).then().statusCode(200).body("status", equalTo("APPLIED"));
        return given().auth().oauth2(admin()).get(url + "/api/v1/models/" + id);
    }

    /** A tier-1 catalog model for tests about something else: kyc-service takes only catalog models (ADR 0042). */
    public static final String SMALL_MODEL = "fixture-small";

    /** Puts {@link #SMALL_MODEL} in the catalog if it is not there yet, and returns its id. */
    public String smallModel() {
        if (given().auth()
                        .oauth2(admin())
                        .get(url + "/api/v1/models/" + SMALL_MODEL)
                        .statusCode()
                == 404) {
            putModel(SMALL_MODEL, 1e22, List.of()).then().statusCode(200);
        }
        return SMALL_MODEL;
    }

    /** Confirms a pending catalog or tier change request as {@code admin}. */
    public Response confirm(String admin, String changeId) {
        return given().auth().oauth2(admin).post(url + "/api/v1/change-requests/" + changeId + "/confirm");
    }

    /**
     * Records a KYC decision in the ledger and reports it to access-policy, as kyc-service does. The leaf says what
     * the report says (level, tier, two distinct reviewers and a clear screening for tier 3), so that the log a
     * test leaves conforms (issue 20).
     */
    public long approve(String subject, int level, int tier) {
        return approve(subject, level, tier, ALICE_ROR, ALICE_COUNTRY);
    }

    /** As above, with the institution (a ROR id, bare or as its URL) and country kyc-service reports. */
    public long approve(String subject, int level, int tier, String institution, String country) {
        Map<String, Object> decision = Ledger.kycDecision(subject);
        decision.put("tier", tier);
        decision.put("assuranceLevel", level);
        decision.put("reviewers", tier >= 3 ? List.of("reviewer-one", "reviewer-two") : List.of("reviewer-one"));
        decision.put("decidedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        decision.put(
                "validUntil",
                Instant.now()
                        .plus(365, ChronoUnit.DAYS)
                        .truncatedTo(ChronoUnit.MILLIS)
                        .toString());
        decision.put(
                "screening",
                Map.of("candidates", 0, "cleared", 0, "clearingReviewers", 0, "strong", 0, "trueMatches", 0));
        long kycLeaf =
                ledger.appendOk(List.of(Ledger.item("kyc.decision", decision))).get(0);
        Map<String, Object> outcome = new HashMap<>();
        outcome.put("subject", subject);
        outcome.put("assuranceLevel", level);
        outcome.put("approvedTier", tier);
        outcome.put("kycLeaf", kycLeaf);
        outcome.put("status", "APPROVED");
        outcome.put("institution", institution);
        outcome.put("country", country);
        outcome.put("validUntil", Instant.now().plus(365, ChronoUnit.DAYS).toString());
        given().auth()
                .oauth2(kycService())
                .contentType(ContentType.JSON)
                .body(outcome)
                .post(url + "/api/v1/kyc-outcomes")
                .then()
                .statusCode(204);
        return kycLeaf;
    }

    public Response grant(String subject, List<String> models, int tier, long days) {
        return given().auth()
                .oauth2(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "subject",
                        subject,
                        "models",
                        models,
                        "tier",
                        tier,
                        "purpose",
                        "Red-teaming refusal behaviour of frontier models for a peer-reviewed study.",
                        "validUntil",
                        Instant.now().plus(days, ChronoUnit.DAYS).toString()))
                .post(url + "/api/v1/grants");
    }

    public Response decide(String subject, String model, String endpoint, int maxTokens) {
        return given().auth()
                .oauth2(gateway())
                .contentType(ContentType.JSON)
                .body(Map.of("subject", subject, "model", model, "endpoint", endpoint, "maxTokens", maxTokens))
                .post(url + "/api/v1/decisions");
    }

    public String decision(String subject, String model) {
        Response response = decide(subject, model, "/v1/chat/completions", 100);
        response.then().statusCode(200);
        String decision = response.path("decision");
        return decision.equals("ALLOW")
                ? "ALLOW"
                : response.jsonPath().getList("reasons").get(0).toString();
    }

    public Response change(String admin, String grantId, String action) {
        return given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("reason", "e2e " + action))
                .post(url + "/api/v1/grants/" + grantId + "/" + action);
    }
}
