package org.vettedaccess.e2e.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.support.Problems.assertProblem;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Each service appends only its own kinds of entries, with the real service accounts' tokens: the internet-facing
 * gateway cannot forge a KYC decision, a grant, a catalog change or a disclosure, nor pre-claim access-policy's
 * idempotency keys; and a disclosed name reaches only the regulators the disclosure names, each reading a leaf.
 */
@ExtendWith(RunningSuite.class)
class LedgerOwnershipTest {

    @Test
    void eachServiceAccountIsRefusedEveryEntryTypeItDoesNotOwn(LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        String subject = "owner-" + UUID.randomUUID();
        List<Long> chain = ledger.appendChain(subject, 0);
        List<String> wrong = new ArrayList<>();
        for (String appender : Ledger.APPENDERS) {
            String token = ledger.serviceToken(appender);
            for (Map.Entry<String, String> owned : Ledger.OWNERS.entrySet()) {
                String type = owned.getKey();
                // A valid entry, so that only ownership can refuse it.
                Response response = ledger.append(
                        token, List.of(Ledger.item(type, Ledger.sample(type, subject, chain.get(0), chain.get(1)))));
                if (owned.getValue().equals(appender)) {
                    if (response.statusCode() != 200) {
                        wrong.add(appender + " appending its own " + type + " -> " + response.statusCode() + " "
                                + response.asString());
                    }
                } else if (response.statusCode() != 403
                        || !response.contentType().startsWith("application/problem+json")
                        || !response.jsonPath().getString("detail").contains("'" + type + "'")
                        || !response.jsonPath().getString("detail").contains("'" + appender + "'")) {
                    wrong.add(appender + " appending " + type + " (owned by " + owned.getValue() + ") -> "
                            + response.statusCode() + " " + response.asString());
                }
            }
        }
        assertTrue(wrong.isEmpty(), "unexpected outcomes:\n" + String.join("\n", wrong));
    }

    @Test
    void aRequestWithOneForeignEntryIsRefusedWholeAndStoresNothing(LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        String gateway = ledger.serviceToken("gateway");
        String subject = "mixed-" + UUID.randomUUID();
        long grantLeaf = ledger.appendChain(subject, 0).get(1);
        Map<String, Object> usage = Ledger.item("usage", Ledger.usage(subject, grantLeaf, 1, 1));
        Map<String, Object> forgedKyc = Ledger.item("kyc.decision", Ledger.kycDecision("mixed-subject"));
        Response refused = ledger.append(gateway, List.of(usage, forgedKyc));
        assertProblem(refused, 403, "forbidden");
        // The gateway's own entry of the refused request was not stored: appending it now is not a duplicate.
        ledger.append(gateway, List.of(usage)).then().statusCode(200).body("results[0].duplicate", equalTo(false));
    }

    @Test
    void theGatewayCannotPreClaimAccessPolicysIdempotencyKey(LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        String gateway = ledger.serviceToken("gateway");
        String accessPolicy = ledger.serviceToken("access-policy");
        String grantId = "grant-" + UUID.randomUUID();
        String key = "grant:" + grantId + ":v2";
        String subject = "squatted-" + UUID.randomUUID();
        List<Long> chain = ledger.appendChain(subject, 0);

        // The gateway takes the key for an entry of its own, the most it may do with it.
        Map<String, Object> squatter = Ledger.item(key, "usage", Ledger.usage(subject, chain.get(1), 1, 1));
        long squatted = ledger.append(gateway, List.of(squatter))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("results[0].index");

        // access-policy's suspension under that key is still a fresh leaf, and its retry is a duplicate of it.
        Map<String, Object> grant = Ledger.grant(subject, chain.get(0));
        grant.put("grantId", grantId);
        Map<String, Object> suspension = Ledger.item(key, "grant.suspended", grant);
        Response first = ledger.append(accessPolicy, List.of(suspension));
        first.then().statusCode(200).body("results[0].duplicate", equalTo(false));
        long suspended = first.jsonPath().getLong("results[0].index");
        assertNotEquals(squatted, suspended);
        Response retry = ledger.append(accessPolicy, List.of(suspension));
        retry.then().statusCode(200).body("results[0].duplicate", equalTo(true));
        assertEquals(suspended, retry.jsonPath().getLong("results[0].index"));

        // The same key from the same appender for a different entry stays a conflict; the gateway's retry of its
        // own entry still finds its own leaf.
        Map<String, Object> other = Ledger.grant(subject, chain.get(0));
        other.put("grantId", grantId);
        other.put("reason", "something else");
        assertProblem(
                ledger.append(accessPolicy, List.of(Ledger.item(key, "grant.suspended", other))), 409, "conflict");
        Response squatterRetry = ledger.append(gateway, List.of(squatter));
        squatterRetry.then().statusCode(200).body("results[0].duplicate", equalTo(true));
        assertEquals(squatted, squatterRetry.jsonPath().getLong("results[0].index"));
    }

    @Test
    void aDisclosedNameIsShownOnlyToTheRegulatorsTheDisclosureNamesAndEachReadingIsALeaf(
            LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        String named = "reg-named-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "reg-other-" + UUID.randomUUID().toString().substring(0, 8);
        keycloak.newUser(named, List.of("regulator"));
        keycloak.newUser(other, List.of("regulator"));
        String namedToken = keycloak.userToken(named);
        String otherToken = keycloak.userToken(other);
        String subject = "disclosed-" + UUID.randomUUID();
        long usage = ledger.appendChain(subject, 1).get(2);

        String pseudonym = disclose(ledger, keycloak, subject, named + ",someone-else");

        // The named regulator sees the name, in a query and for one entry.
        assertEquals("Dana Disclosed", nameIn(ledger, namedToken, pseudonym));
        given().auth()
                .oauth2(namedToken)
                .get(ledger.url() + "/api/v1/entries/" + usage)
                .then()
                .statusCode(200)
                .body("disclosedName", equalTo("Dana Disclosed"));
        // Another regulator, and the demo regulator, see the pseudonym alone.
        assertNull(nameIn(ledger, otherToken, pseudonym), "a regulator the disclosure does not name");
        assertNull(nameIn(ledger, keycloak.userToken("greg"), pseudonym), "a regulator the disclosure does not name");
        given().auth()
                .oauth2(otherToken)
                .get(ledger.url() + "/api/v1/entries/" + usage)
                .then()
                .statusCode(200)
                .body("disclosedName", equalTo(null));

        // Every reading of the name is a leaf naming the reader and the pseudonym; a reading without it is not.
        String namedReader = pseudonymOf(ledger, namedToken);
        String otherReader = pseudonymOf(ledger, otherToken);
        List<Map<String, Object>> reads = reads(ledger, keycloak.userToken("greg"), pseudonym);
        assertEquals(
                2,
                reads.stream().filter(r -> namedReader.equals(r.get("reader"))).count(),
                reads.toString());
        assertFalse(reads.stream().anyMatch(r -> otherReader.equals(r.get("reader"))), reads.toString());

        // A second disclosure of the same pseudonym, to the other regulator, shows it the name too.
        disclose(ledger, keycloak, subject, other);
        assertEquals("Dana Disclosed", nameIn(ledger, otherToken, pseudonym));
    }

    private static String disclose(Ledger ledger, Keycloak keycloak, String subject, String disclosedTo) {
        return given().auth()
                .oauth2(keycloak.userToken("paula"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "subject",
                        subject,
                        "displayName",
                        "Dana Disclosed",
                        "legalBasis",
                        "AI Act art. 92",
                        "reason",
                        "investigation 7",
                        "disclosedTo",
                        disclosedTo))
                .post(ledger.url() + "/api/v1/disclosures")
                .then()
                .statusCode(200)
                .extract()
                .path("pseudonym");
    }

    /** The name a regulator sees on the usage entries of {@code pseudonym} (null if none). */
    private static String nameIn(Ledger ledger, String token, String pseudonym) {
        List<String> names = given().auth()
                .oauth2(token)
                .get(ledger.url() + "/api/v1/entries?type=usage&subject=" + pseudonym)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entries.disclosedName");
        assertFalse(names.isEmpty(), "the pseudonym's usage is there");
        return names.get(0);
    }

    private static String pseudonymOf(Ledger ledger, String token) {
        return given().auth()
                .oauth2(token)
                .get(ledger.url() + "/api/v1/pseudonyms/me")
                .then()
                .statusCode(200)
                .extract()
                .path("pseudonym");
    }

    /** Every disclosure.read leaf that names {@code pseudonym}. */
    private static List<Map<String, Object>> reads(Ledger ledger, String token, String pseudonym) {
        List<Map<String, Object>> reads = new ArrayList<>();
        Long after = null;
        do {
            var page = given().auth()
                    .oauth2(token)
                    .get(ledger.url() + "/api/v1/entries?type=disclosure.read&limit=500"
                            + (after == null ? "" : "&after=" + after))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<Map<String, Object>> entries = page.getList("entries.entry");
            for (Map<String, Object> entry : entries) {
                if (((List<?>) entry.get("pseudonyms")).contains(pseudonym)) {
                    reads.add(entry);
                }
            }
            after = page.getObject("next", Long.class);
        } while (after != null);
        return reads;
    }
}
