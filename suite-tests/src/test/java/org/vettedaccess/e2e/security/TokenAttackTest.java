package org.vettedaccess.e2e.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.support.Problems.assertProblem;

import io.restassured.response.Response;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * Token attacks beyond {@code TokenVerificationTest} (tampered signature and payload, alg none, wrong audience,
 * expiry): the RS256→HS256 key confusion with the realm's own public key, and a genuine token from another
 * realm (another issuer and keys) that claims every audience and role. Every service must refuse them all, on
 * its API and, for the gateway, on the model API.
 */
@ExtendWith(RunningSuite.class)
class TokenAttackTest {

    private static Response caller(LocalSuite suite, String service, String token) {
        return given().auth().oauth2(token).get(suite.serviceUrl(service) + "/api/v1/caller");
    }

    @Test
    void hs256SignedWithTheRealmsPublicKeyIsRefusedEverywhere(LocalSuite suite, Keycloak keycloak) throws Exception {
        String genuine = keycloak.userToken("alice");
        for (String service : Keycloak.SERVICES) {
            caller(suite, service, genuine).then().statusCode(200);
        }
        List<byte[]> keys = publicKeyEncodings(keycloak);
        assertFalse(keys.isEmpty(), "the realm publishes an RSA key");
        for (byte[] key : keys) {
            String forged = Jwts.withHs256(genuine, key);
            for (String service : Keycloak.SERVICES) {
                assertProblem(caller(suite, service, forged), 401, "invalid-token");
            }
            Response model = given().auth().oauth2(forged).get(suite.serviceUrl("gateway") + "/v1/models");
            assertEquals(401, model.statusCode(), model.asString());
        }
    }

    @Test
    void aGenuineTokenFromAnotherRealmIsRefusedEverywhere(LocalSuite suite, Keycloak keycloak) {
        String impostor = keycloak.otherRealmToken();
        // It is a real, unexpired token that claims every audience and role; only its issuer and keys are wrong.
        assertEquals(
                true,
                Jwts.payload(impostor).get("aud").toString().contains("kyc-service"),
                Jwts.payload(impostor).toString());
        for (String service : Keycloak.SERVICES) {
            assertProblem(caller(suite, service, impostor), 401, "invalid-token");
        }
        Response model = given().auth().oauth2(impostor).get(suite.serviceUrl("gateway") + "/v1/models");
        assertEquals(401, model.statusCode(), model.asString());
    }

    @Test
    void aTokenThatIsNotYetValidIsRefusedEverywhere(LocalSuite suite, Keycloak keycloak) {
        // Genuinely signed by the realm, for every service, with a role; only its nbf lies an hour ahead.
        Keycloak.ProbeClient early = keycloak.probeClientNotBefore(
                Keycloak.SERVICES, "researcher", java.time.Instant.now().plusSeconds(3600));
        String token = keycloak.clientToken(early.clientId(), early.secret());
        assertTrue(
                Jwts.payload(token).path("nbf").asLong()
                        > java.time.Instant.now().getEpochSecond() + 3000,
                Jwts.payload(token).toString());
        // The same client without the claim is accepted, so the refusals below are about nbf alone.
        Keycloak.ProbeClient onTime = keycloak.probeClient(Keycloak.SERVICES, "researcher", 300);
        String good = keycloak.clientToken(onTime.clientId(), onTime.secret());
        for (String service : Keycloak.SERVICES) {
            caller(suite, service, good).then().statusCode(200);
            assertProblem(caller(suite, service, token), 401, "invalid-token");
        }
        Response model = given().auth().oauth2(token).get(suite.serviceUrl("gateway") + "/v1/models");
        assertEquals(401, model.statusCode(), model.asString());
    }

    /** The realm's RSA signing key as an attacker would feed it to HMAC: certificate and key, PEM and DER. */
    private static List<byte[]> publicKeyEncodings(Keycloak keycloak) throws Exception {
        List<byte[]> encodings = new ArrayList<>();
        List<Map<String, Object>> keys = keycloak.jwks().getList("keys");
        for (Map<String, Object> jwk : keys) {
            if (!"RSA".equals(jwk.get("kty")) || !"sig".equals(jwk.get("use"))) {
                continue;
            }
            Base64.Decoder url = Base64.getUrlDecoder();
            java.security.PublicKey key = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(
                            new BigInteger(1, url.decode((String) jwk.get("n"))),
                            new BigInteger(1, url.decode((String) jwk.get("e")))));
            encodings.add(key.getEncoded());
            encodings.add(pem("PUBLIC KEY", key.getEncoded()));
            if (jwk.get("x5c") instanceof List<?> chain && !chain.isEmpty()) {
                byte[] der = Base64.getDecoder().decode(String.valueOf(chain.get(0)));
                X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(der));
                encodings.add(pem("CERTIFICATE", certificate.getEncoded()));
            }
        }
        return encodings;
    }

    private static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
