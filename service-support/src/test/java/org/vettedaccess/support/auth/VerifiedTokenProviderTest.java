package org.vettedaccess.support.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * The augmentor and the provider together, on real RS256 tokens: what quarkus-oidc verified is served again only for
 * the same token, with that token's own roles and claims and without the request it was verified in; a token signed
 * by another key, addressed to another service or expired is left to quarkus-oidc (which refuses it).
 */
class VerifiedTokenProviderTest {

    private static final String SERVICE = "usage-ledger";
    private static final Instant NOW = Instant.parse("2026-12-04T19:00:00Z");

    private final VerifiedTokens tokens = new VerifiedTokens(100, SERVICE, Clock.fixed(NOW, ZoneOffset.UTC));
    private final VerifiedTokenAugmentor augmentor = new VerifiedTokenAugmentor(tokens);
    private final VerifiedTokenProvider provider = new VerifiedTokenProvider(tokens);
    private final RsaJsonWebKey realmKey = key("realm");
    private final RsaJsonWebKey otherKey = key("realm");

    private static RsaJsonWebKey key(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JwtClaims claims(String azp, List<String> audience, long expiresIn, String... roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("http://localhost:8180/realms/vetted-access");
        claims.setSubject("service-account-" + azp);
        claims.setAudience(audience);
        claims.setClaim("azp", azp);
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(NOW.getEpochSecond() - 10));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(NOW.getEpochSecond() + expiresIn));
        claims.setStringListClaim("groups", roles);
        return claims;
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey key) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What quarkus-oidc hands the augmentors after verifying {@code token}, in the request it was verified in. */
    private SecurityIdentity verifiedByOidc(String token, JwtClaims claims, Object routingContext) {
        AccessTokenCredential credential = new AccessTokenCredential(token);
        try {
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new OidcJwtCallerPrincipal(claims, credential))
                    .addCredential(credential)
                    .addRoles(Set.copyOf(claims.getStringListClaimValue("groups")))
                    .addAttribute(RoutingContext.class.getName(), routingContext)
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private SecurityIdentity keep(String token, JwtClaims claims) {
        return augmentor
                .augment(verifiedByOidc(token, claims, "the first request's routing context"), null)
                .await()
                .indefinitely();
    }

    /** The provider's answer for a later request bearing {@code token}; null: quarkus-oidc verifies it. */
    private SecurityIdentity nextCall(String token) {
        return provider.authenticate(new TokenAuthenticationRequest(new AccessTokenCredential(token)), null)
                .await()
                .indefinitely();
    }

    @Test
    void theSameTokenIsServedWithItsOwnRolesAndClaimsAndNotItsFirstRequest() {
        String gateway = sign(claims("gateway", List.of(SERVICE), 300, "append"), realmKey);
        keep(gateway, claims("gateway", List.of(SERVICE), 300, "append"));

        SecurityIdentity served = nextCall(gateway);
        assertNotNull(served);
        assertEquals(Set.of("append"), served.getRoles());
        assertEquals("gateway", ((JsonWebToken) served.getPrincipal()).getClaim("azp"));
        assertEquals(gateway, served.getCredential(AccessTokenCredential.class).getToken());
        assertNull(
                served.getAttribute(RoutingContext.class.getName()),
                "the routing context of the request the token was verified in is never handed to another request");
        assertEquals(Boolean.TRUE, served.getAttribute(VerifiedTokenProvider.FROM_CACHE));
        // Served again, the augmentor does not keep it a second time (it would keep this request's attributes).
        augmentor.augment(served, null).await().indefinitely();
        assertEquals(1, tokens.size());
    }

    @Test
    void eachAppenderKeepsItsOwnIdentityAndRoles() {
        JwtClaims gatewayClaims = claims("gateway", List.of(SERVICE), 300, "append");
        JwtClaims kycClaims = claims("kyc-service", List.of(SERVICE, "access-policy"), 300, "append", "screen");
        String gateway = sign(gatewayClaims, realmKey);
        String kyc = sign(kycClaims, realmKey);
        keep(gateway, gatewayClaims);
        keep(kyc, kycClaims);

        assertEquals("gateway", ((JsonWebToken) nextCall(gateway).getPrincipal()).getClaim("azp"));
        assertEquals("kyc-service", ((JsonWebToken) nextCall(kyc).getPrincipal()).getClaim("azp"));
        assertEquals(Set.of("append"), nextCall(gateway).getRoles());
        assertEquals(Set.of("append", "screen"), nextCall(kyc).getRoles());
    }

    @Test
    void aTokenWithTheSameClaimsSignedByAnotherKeyIsLeftToQuarkusOidc() {
        JwtClaims gatewayClaims = claims("gateway", List.of(SERVICE), 300, "append");
        String genuine = sign(gatewayClaims, realmKey);
        String forged = sign(gatewayClaims, otherKey);
        assertEquals(genuine.substring(0, genuine.lastIndexOf('.')), forged.substring(0, forged.lastIndexOf('.')));
        assertNotEquals(genuine, forged);
        keep(genuine, gatewayClaims);

        assertNotNull(nextCall(genuine));
        assertNull(nextCall(forged), "only the signature differs: it must still be verified (and refused)");
    }

    @Test
    void aTokenForAnotherServiceOrExpiredIsNeverKept() {
        JwtClaims foreign = claims("gateway", List.of("access-policy"), 300, "append");
        JwtClaims expired = claims("gateway", List.of(SERVICE), 0, "append");
        String foreignToken = sign(foreign, realmKey);
        String expiredToken = sign(expired, realmKey);
        keep(foreignToken, foreign);
        keep(expiredToken, expired);

        assertNull(nextCall(foreignToken));
        assertNull(nextCall(expiredToken));
        assertTrue(tokens.size() == 0, "nothing was kept");
    }
}
