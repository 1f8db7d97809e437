package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * An API key does not outlive its owner's account: when an admin disables a researcher in Keycloak, or takes the
 * researcher role away, the researcher's keys are refused within 1 s (the gateway's owner watch reads Keycloak's
 * admin events), each revocation is a {@code key.revoked} leaf, and other researchers' keys go on working.
 */
@ExtendWith(RunningSuite.class)
class KeyOwnerTest {

    private static final long BOUND_MILLIS = 1_000;

    @Test
    void aDisabledAccountsKeyIsRefusedWithinASecond(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        Owner owner = owner(gateway, keycloak);
        Owner bystander = owner(gateway, keycloak);

        long started = System.nanoTime();
        keycloak.disableUser(owner.id());
        long refusedAfter = millisUntilRefused(gateway.url, owner.key(), started);
        assertTrue(refusedAfter <= BOUND_MILLIS, "refused " + refusedAfter + " ms after the account was disabled");

        gateway.chat(owner.key(), owner.model(), 4).then().statusCode(401);
        gateway.chat(bystander.key(), bystander.model(), 4).then().statusCode(200);
        assertRevocationLeaf(gateway, owner);
    }

    @Test
    void anAccountThatLosesTheResearcherRoleLosesItsKeysWithinASecond(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        Owner owner = owner(gateway, keycloak);

        long started = System.nanoTime();
        keycloak.removeRealmRole(owner.id(), "researcher");
        long refusedAfter = millisUntilRefused(gateway.url, owner.key(), started);
        assertTrue(refusedAfter <= BOUND_MILLIS, "refused " + refusedAfter + " ms after the role was removed");
        assertRevocationLeaf(gateway, owner);
    }

    private record Owner(String user, String id, String model, String keyId, String key) {}

    /** A new researcher with a KYC approval, a grant and a working key. */
    private static Owner owner(GatewayFixture gateway, Keycloak keycloak) {
        String user = "owner" + UUID.randomUUID().toString().substring(0, 8);
        String id = keycloak.newUser(user, List.of("researcher"));
        GatewayFixture.Granted granted = gateway.grant(user, 1);
        Response issued = gateway.issueKey(user, granted.grantId());
        issued.then().statusCode(201);
        Owner owner = new Owner(user, id, granted.model(), issued.path("apiKey.id"), issued.path("key"));
        gateway.chat(owner.key(), owner.model(), 4).then().statusCode(200);
        return owner;
    }

    /** Milliseconds from {@code started} until the key is refused (it is tried every 50 ms, for up to 5 s). */
    private static long millisUntilRefused(String gatewayUrl, String key, long started) {
        while (true) {
            int status =
                    given().auth().oauth2(key).get(gatewayUrl + "/v1/models").statusCode();
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            if (status == 401) {
                return elapsed;
            }
            assertEquals(200, status, "the key works until it is refused");
            if (elapsed > 5_000) {
                throw new AssertionError("the key still worked 5 s after its owner's account changed");
            }
            GatewayFixture.sleep(50);
        }
    }

    /** The revocation reached the ledger as a key.revoked leaf for the key. */
    private static void assertRevocationLeaf(GatewayFixture gateway, Owner owner) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        String regulator = gateway.keycloak.userToken("greg");
        String ledger = gateway.suite.serviceUrl("usage-ledger");
        while (true) {
            String revoked = given().auth()
                    .oauth2(regulator)
                    .get(ledger + "/api/v1/entries?type=key.revoked&limit=500")
                    .asString();
            if (revoked.contains(owner.keyId())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no key.revoked leaf for " + owner.keyId() + ": " + revoked);
            }
            GatewayFixture.sleep(200);
        }
    }
}
