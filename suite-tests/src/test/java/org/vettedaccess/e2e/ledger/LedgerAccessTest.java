package org.vettedaccess.e2e.ledger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * The usage-ledger's role matrix: every endpoint, called by every kind of caller. An allowed caller gets a
 * success; anyone else gets 401 (no token) or 403 (wrong role), and a researcher never sees another's entry.
 */
@ExtendWith(RunningSuite.class)
class LedgerAccessTest {

    private static final String ANONYMOUS = "anonymous";
    private static final List<String> CALLERS = List.of(
            ANONYMOUS,
            "alice",
            "victor",
            "rita",
            "paula",
            "greg",
            "sa:gateway",
            "sa:kyc-service",
            "sa:access-policy",
            "sa:usage-ledger");

    /** One row of the matrix: a request and the callers allowed to make it. */
    private record Row(String method, String path, Object body, Set<String> allowed) {}

    @Test
    void everyEndpointAdmitsExactlyItsRoles(LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String caller : CALLERS) {
            if (caller.startsWith("sa:")) {
                String client = caller.substring(3);
                tokens.put(caller, keycloak.clientToken(client, client + "-demo-secret"));
            } else if (!caller.equals(ANONYMOUS)) {
                tokens.put(caller, keycloak.userToken(caller));
            }
        }
        String alice = Jwts.payload(tokens.get("alice")).get("sub").asText();
        List<Long> chain = ledger.appendChain(alice, 1);
        long alicesUsage = chain.get(2);
        ledger.publishCheckpoint();
        long size = chain.get(2) + 1;

        Set<String> appenders = Set.of("sa:gateway", "sa:kyc-service", "sa:access-policy");
        Set<String> readers = Set.of("greg", "alice", "victor");
        List<Row> matrix = List.of(
                new Row(
                        "POST",
                        "/api/v1/entries",
                        Map.of("entries", List.of(Ledger.item("kyc.decision", Ledger.kycDecision("matrix-subject")))),
                        appenders),
                new Row("GET", "/api/v1/entries", null, readers),
                new Row("GET", "/api/v1/entries/" + alicesUsage, null, Set.of("greg", "alice")),
                new Row(
                        "GET",
                        "/api/v1/checkpoint",
                        null,
                        Set.of("greg", "alice", "victor", "paula", "sa:gateway", "sa:kyc-service", "sa:access-policy")),
                new Row(
                        "GET",
                        "/api/v1/checkpoints",
                        null,
                        Set.of("greg", "alice", "victor", "paula", "sa:gateway", "sa:kyc-service", "sa:access-policy")),
                new Row("POST", "/api/v1/checkpoints", null, Set.of("greg", "paula")),
                new Row("GET", "/api/v1/public-key", null, Set.copyOf(CALLERS)),
                new Row("GET", "/api/v1/public-keys", null, Set.copyOf(CALLERS)),
                new Row(
                        "GET",
                        "/api/v1/proofs/inclusion?index=" + alicesUsage + "&treeSize=" + size,
                        null,
                        Set.of("greg", "alice")),
                new Row("GET", "/api/v1/proofs/consistency?from=1&to=" + size, null, readers),
                new Row("GET", "/api/v1/export", null, Set.of("greg")),
                new Row(
                        "POST",
                        "/api/v1/disclosures",
                        Map.of(
                                "subject",
                                "matrix-subject",
                                "displayName",
                                "M. Subject",
                                "legalBasis",
                                "AI Act art. 92",
                                "reason",
                                "matrix test",
                                "disclosedTo",
                                "regulator"),
                        Set.of("paula")),
                new Row("GET", "/api/v1/pseudonyms/me", null, Set.of("alice", "victor", "rita", "paula", "greg")),
                new Row("GET", "/api/v1/caller", null, Set.of("alice", "victor", "rita", "ravi", "paula", "greg")));

        // No token, or a token not addressed to the ledger (its own service account calls nobody): 401.
        Set<String> unauthenticated = Set.of(ANONYMOUS, "sa:usage-ledger");
        List<String> wrong = new ArrayList<>();
        for (Row row : matrix) {
            for (String caller : CALLERS) {
                Response response = call(ledger, row, tokens.get(caller));
                int status = response.statusCode();
                boolean allowed = row.allowed().contains(caller);
                boolean ok = allowed
                        ? status >= 200 && status < 300
                        : status == (unauthenticated.contains(caller) ? 401 : 403)
                                // A researcher asking for someone else's entry learns nothing, not even that it exists.
                                || (caller.equals("victor") && status == 404);
                if (!ok) {
                    wrong.add(row.method() + " " + row.path() + " as " + caller + " -> " + status);
                }
            }
        }
        assertTrue(wrong.isEmpty(), "unexpected outcomes:\n" + String.join("\n", wrong));
    }

    @Test
    void aResearcherSeesOnlyTheirOwnEntriesAndARegulatorSeesNamesOnlyWhereDisclosed(
            LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        String aliceToken = keycloak.userToken("alice");
        String victorToken = keycloak.userToken("victor");
        String alice = Jwts.payload(aliceToken).get("sub").asText();
        String victor = Jwts.payload(victorToken).get("sub").asText();
        ledger.appendChain(alice, 1);
        ledger.appendChain(victor, 1);

        String alicePseudonym = given().auth()
                .oauth2(aliceToken)
                .get(ledger.url() + "/api/v1/pseudonyms/me")
                .then()
                .statusCode(200)
                .extract()
                .path("pseudonym");
        List<String> subjectsAliceSees = given().auth()
                .oauth2(aliceToken)
                .get(ledger.url() + "/api/v1/entries?limit=500")
                .then()
                .statusCode(200)
                .extract()
                .path("entries.entry.subject");
        assertTrue(
                !subjectsAliceSees.isEmpty() && subjectsAliceSees.stream().allMatch(alicePseudonym::equals),
                "alice sees only entries about her pseudonym: " + subjectsAliceSees);
        given().auth()
                .oauth2(aliceToken)
                .get(ledger.url() + "/api/v1/entries?subject=someone-else")
                .then()
                .statusCode(403);
        List<String> raw = given().auth()
                .oauth2(keycloak.userToken("greg"))
                .get(ledger.url() + "/api/v1/entries?type=usage&limit=500")
                .then()
                .statusCode(200)
                .extract()
                .path("entries.leaf");
        raw.forEach(leaf -> assertTrue(
                !new String(java.util.Base64.getDecoder().decode(leaf)).contains(alice),
                "no leaf holds a raw subject id"));

        String paula = keycloak.userToken("paula");
        given().auth()
                .oauth2(paula)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "subject",
                        victor,
                        "displayName",
                        "Viktor Sanctionlisted",
                        "legalBasis",
                        "AI Act art. 92",
                        "reason",
                        "investigation 42",
                        "disclosedTo",
                        "greg"))
                .post(ledger.url() + "/api/v1/disclosures")
                .then()
                .statusCode(200);
        String victorPseudonym = given().auth()
                .oauth2(victorToken)
                .get(ledger.url() + "/api/v1/pseudonyms/me")
                .then()
                .extract()
                .path("pseudonym");
        Response regulatorView = given().auth()
                .oauth2(keycloak.userToken("greg"))
                .get(ledger.url() + "/api/v1/entries?type=usage&limit=500");
        List<Map<String, Object>> entries = regulatorView.jsonPath().getList("entries");
        boolean sawVictor = false;
        boolean sawAlice = false;
        for (Map<String, Object> entry : entries) {
            @SuppressWarnings("unchecked")
            String subject = (String) ((Map<String, Object>) entry.get("entry")).get("subject");
            if (subject.equals(victorPseudonym)) {
                assertEquals("Viktor Sanctionlisted", entry.get("disclosedName"));
                sawVictor = true;
            } else if (subject.equals(alicePseudonym)) {
                assertEquals(null, entry.get("disclosedName"), "no name for a pseudonym nobody disclosed");
                sawAlice = true;
            }
        }
        assertTrue(sawVictor && sawAlice);
        List<String> disclosures = given().auth()
                .oauth2(keycloak.userToken("greg"))
                .get(ledger.url() + "/api/v1/entries?type=disclosure&limit=500")
                .then()
                .statusCode(200)
                .extract()
                .path("entries.entry.pseudonym");
        assertTrue(disclosures.contains(victorPseudonym), "the disclosure itself is a leaf");
    }

    private static Response call(Ledger ledger, Row row, String token) {
        RequestSpecification request = given();
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        if (row.body() != null) {
            request = request.contentType(ContentType.JSON).body(row.body());
        }
        return row.method().equals("POST")
                ? request.post(ledger.url() + row.path())
                : request.get(ledger.url() + row.path());
    }
}
