package org.vettedaccess.e2e.ledger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.e2e.support.RoleMatrix;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * The usage-ledger's role matrix: every endpoint, called by every kind of caller. An allowed caller gets a
 * success; anyone else gets 401 (no token) or 403 (wrong role), and a researcher never sees another's entry.
 */
@ExtendWith(RunningSuite.class)
class LedgerAccessTest {

    @Test
    void everyEndpointAdmitsExactlyItsRoles(LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        RoleMatrix matrix = new RoleMatrix(keycloak);
        String alice = Jwts.payload(matrix.token("alice")).get("sub").asText();
        List<Long> chain = ledger.appendChain(alice, 1);
        long alicesUsage = chain.get(2);
        ledger.publishCheckpoint();
        long size = chain.get(2) + 1;

        Set<String> everyone = Set.copyOf(RoleMatrix.CALLERS);
        // Each service appends only its own entry types (LedgerOwnershipTest): a kyc.decision only kyc-service.
        Set<String> appenders = Set.of("sa:kyc-service");
        Set<String> readers = Set.of("greg", "alice", "victor");
        Set<String> checkpointReaders =
                Set.of("greg", "alice", "victor", "paula", "mona", "sa:gateway", "sa:kyc-service", "sa:access-policy");
        matrix.check(
                ledger.url(),
                List.of(
                        new RoleMatrix.Row(
                                "POST",
                                "/api/v1/entries",
                                Map.of(
                                        "entries",
                                        List.of(Ledger.item("kyc.decision", Ledger.kycDecision("matrix-subject")))),
                                appenders),
                        new RoleMatrix.Row("GET", "/api/v1/entries", null, readers),
                        // A researcher asking for someone else's entry learns nothing, not even that it exists.
                        new RoleMatrix.Row(
                                "GET",
                                "/api/v1/entries/" + alicesUsage,
                                null,
                                Set.of("greg", "alice"),
                                Set.of("victor")),
                        new RoleMatrix.Row("GET", "/api/v1/checkpoint", null, checkpointReaders),
                        new RoleMatrix.Row("GET", "/api/v1/checkpoints", null, checkpointReaders),
                        new RoleMatrix.Row("POST", "/api/v1/checkpoints", null, Set.of("greg", "paula")),
                        new RoleMatrix.Row("GET", "/api/v1/public-key", null, everyone),
                        new RoleMatrix.Row("GET", "/api/v1/public-keys", null, everyone),
                        new RoleMatrix.Row(
                                "GET",
                                "/api/v1/proofs/inclusion?index=" + alicesUsage + "&treeSize=" + size,
                                null,
                                Set.of("greg", "alice", "mona"),
                                Set.of("victor")),
                        new RoleMatrix.Row(
                                "GET",
                                "/api/v1/proofs/consistency?from=1&to=" + size,
                                null,
                                Set.of("greg", "alice", "victor", "mona")),
                        new RoleMatrix.Row("GET", "/api/v1/export", null, Set.of("greg")),
                        new RoleMatrix.Row(
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
                        new RoleMatrix.Row(
                                "GET",
                                "/api/v1/pseudonyms/me",
                                null,
                                Set.of("alice", "victor", "rita", "paula", "greg")),
                        new RoleMatrix.Row(
                                "GET", "/api/v1/caller", null, Set.of("alice", "victor", "rita", "paula", "greg"))),
                // The ledger's own service account calls nobody, so its token is addressed to no service.
                Set.of("sa:usage-ledger"));
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
        // Each pseudonym's usage (filtered, as other tests may have logged thousands of entries before these).
        List<Map<String, Object>> entries = new java.util.ArrayList<>();
        for (String pseudonym : List.of(victorPseudonym, alicePseudonym)) {
            entries.addAll(given().auth()
                    .oauth2(keycloak.userToken("greg"))
                    .get(ledger.url() + "/api/v1/entries?type=usage&limit=500&subject=" + pseudonym)
                    .jsonPath()
                    .getList("entries"));
        }
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
}
