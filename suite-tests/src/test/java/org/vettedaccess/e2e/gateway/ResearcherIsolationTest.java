package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Researcher B (victor) on researcher A's (alice's) <em>real</em> objects: an application, a grant, an API key, a
 * call's receipt, its usage row, its ledger entry and the entry's inclusion proof. A gets each (2xx); B gets 403
 * or 404 on each by id, does not find it in any listing of his own, and cannot change it. (The authorisation
 * matrix tries every operation with every role, but with random ids wherever an object is not alice's
 * application; this test is where data isolation is shown for every kind of object.)
 */
@ExtendWith(RunningSuite.class)
class ResearcherIsolationTest {

    private static final Set<Integer> REFUSED = Set.of(403, 404);

    @Test
    void researcherBGetsNoneOfResearcherAsRealObjectsAndChangesNothing(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        String kyc = suite.serviceUrl("kyc-service");
        String policy = suite.serviceUrl("access-policy");
        String ledger = suite.serviceUrl("usage-ledger");
        String alice = keycloak.userToken("alice");
        String victor = keycloak.userToken("victor");

        // alice's objects, each made the way she would make it.
        String application = given().auth()
                .oauth2(alice)
                .contentType(ContentType.JSON)
                .body(Map.of("legalName", "Alice Isolation"))
                .post(kyc + "/api/v1/applications")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        // Tier 2, whose grants have a token budget, so the budget listing shows the grant too.
        GatewayFixture.Granted granted = gateway.grant("alice", 2);
        Response issued = gateway.issueKey("alice", granted.grantId());
        issued.then().statusCode(201);
        String keyId = issued.path("apiKey.id");
        String key = issued.path("key");
        Response call = gateway.chat(key, granted.model(), 4);
        call.then().statusCode(200);
        String requestId = call.header("x-request-id");
        assertNotNull(requestId, "the call has a receipt id");
        long index = ledgerIndexOf(gateway.url, alice, requestId);
        long treeSize = treeSizeAbove(ledger, alice, index);

        // alice reads every one of them.
        ok(get(alice, kyc + "/api/v1/applications/" + application));
        ok(get(alice, gateway.url + "/api/v1/usage/calls/" + requestId));
        ok(get(alice, ledger + "/api/v1/entries/" + index));
        ok(get(alice, ledger + "/api/v1/proofs/inclusion?index=" + index + "&treeSize=" + treeSize));
        assertTrue(get(alice, policy + "/api/v1/grants/mine").asString().contains(granted.grantId()));
        assertTrue(get(alice, gateway.url + "/api/v1/keys").asString().contains(keyId));
        assertTrue(get(alice, gateway.url + "/api/v1/usage/grants").asString().contains(granted.grantId()));
        assertTrue(get(alice, gateway.url + "/api/v1/usage/daily").asString().contains(granted.model()));

        // victor, a researcher too, by id: refused each time.
        refused(get(victor, kyc + "/api/v1/applications/" + application));
        refused(send(victor, "PUT", kyc + "/api/v1/applications/" + application, Map.of("legalName", "Mallory")));
        refused(send(victor, "POST", kyc + "/api/v1/applications/" + application + "/withdraw", null));
        refused(get(victor, gateway.url + "/api/v1/usage/calls/" + requestId));
        refused(get(victor, ledger + "/api/v1/entries/" + index));
        refused(get(victor, ledger + "/api/v1/proofs/inclusion?index=" + index + "&treeSize=" + treeSize));
        refused(get(victor, ledger + "/api/v1/entries?subject=" + pseudonymOf(ledger, alice, index)));
        refused(send(victor, "POST", gateway.url + "/api/v1/keys/" + keyId + "/rotate", null));
        refused(send(victor, "POST", gateway.url + "/api/v1/keys/" + keyId + "/revoke", null));
        // A key on her grant: refused as any grant that is not his own would be (a 400 naming the field).
        Response onHerGrant = send(
                victor,
                "POST",
                gateway.url + "/api/v1/keys",
                Map.of("name", "on alice's grant", "grantId", granted.grantId()));
        assertTrue(
                Set.of(400, 403, 404).contains(onHerGrant.statusCode())
                        && onHerGrant.asString().contains("not one of your current grants"),
                onHerGrant.statusCode() + ": " + onHerGrant.asString());

        // ... and in his own listings, none of alice's objects.
        String[] listings = {
            kyc + "/api/v1/applications",
            policy + "/api/v1/grants/mine",
            gateway.url + "/api/v1/keys",
            gateway.url + "/api/v1/usage/grants",
            gateway.url + "/api/v1/usage/daily",
            ledger + "/api/v1/entries?limit=500"
        };
        for (String listing : listings) {
            Response mine = get(victor, listing);
            ok(mine);
            String text = mine.asString();
            for (String object : new String[] {application, granted.grantId(), keyId, requestId, granted.model()}) {
                assertFalse(text.contains(object), listing + " shows victor alice's " + object + ": " + text);
            }
        }

        // Nothing victor tried changed alice's objects: her key still works, her application is still hers.
        gateway.chat(key, granted.model(), 4).then().statusCode(200);
        get(alice, kyc + "/api/v1/applications/" + application)
                .then()
                .statusCode(200)
                .body("legalName", org.hamcrest.Matchers.equalTo("Alice Isolation"))
                .body("state", org.hamcrest.Matchers.equalTo("DRAFT"));
    }

    /** The call's ledger index, once its usage leaf has reached the ledger. */
    private static long ledgerIndexOf(String gatewayUrl, String token, String requestId) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            Response receipt = get(token, gatewayUrl + "/api/v1/usage/calls/" + requestId);
            Object index = receipt.statusCode() == 200 ? receipt.path("ledgerIndex") : null;
            if (index != null) {
                return ((Number) index).longValue();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the call's usage leaf did not reach the ledger: " + receipt.asString());
            }
            GatewayFixture.sleep(200);
        }
    }

    /** A published tree size that includes the entry (checkpoints are signed on an interval). */
    private static long treeSizeAbove(String ledger, String token, long index) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            Response checkpoint = get(token, ledger + "/api/v1/checkpoint");
            if (checkpoint.statusCode() == 200) {
                // The signed note: origin, tree size, root hash, then the signatures.
                long size = Long.parseLong(checkpoint.asString().split("\n")[1].strip());
                if (size > index) {
                    return size;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint covers index " + index + ": " + checkpoint.asString());
            }
            GatewayFixture.sleep(200);
        }
    }

    /** alice's pseudonym, as her own entry shows it. */
    private static String pseudonymOf(String ledger, String alice, long index) {
        String subject = get(alice, ledger + "/api/v1/entries/" + index).path("entry.subject");
        assertNotNull(subject, "the usage entry names its pseudonymous subject");
        return subject;
    }

    private static Response get(String token, String url) {
        return given().auth().oauth2(token).get(url);
    }

    private static Response send(String token, String method, String url, Object body) {
        var request = given().auth().oauth2(token).contentType(ContentType.JSON);
        if (body != null) {
            request = request.body(body);
        }
        return request.request(method, url);
    }

    private static void ok(Response response) {
        assertTrue(
                response.statusCode() >= 200 && response.statusCode() < 300,
                "expected 2xx, got " + response.statusCode() + ": " + response.asString());
    }

    private static void refused(Response response) {
        assertTrue(
                REFUSED.contains(response.statusCode()),
                "expected 403 or 404, got " + response.statusCode() + ": " + response.asString());
    }
}
