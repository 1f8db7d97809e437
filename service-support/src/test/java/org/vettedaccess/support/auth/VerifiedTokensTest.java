package org.vettedaccess.support.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vettedaccess.support.testing.MovingClock;

/**
 * The verified-token cache (ADR 0082) must never let through what quarkus-oidc would refuse now: a token at or after
 * its {@code exp}, a token addressed to another service, or a token other than the exact one that was verified; and
 * each token keeps its own roles, which are checked per call.
 */
class VerifiedTokensTest {

    private static final String SERVICE = "access-policy";

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-04T02:00:00Z"));
    private final VerifiedTokens tokens = new VerifiedTokens(100, SERVICE, clock);

    private long in(long seconds) {
        return clock.instant().getEpochSecond() + seconds;
    }

    private static SecurityIdentity identity(String token, String... roles) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("service-account-gateway"))
                .addCredential(new AccessTokenCredential(token))
                .addRoles(Set.of(roles))
                .build();
    }

    @Test
    void aVerifiedTokenIsServedUntilItsExpAndNeverAtOrAfterIt() {
        tokens.remember("token-a", Set.of(SERVICE), in(60), identity("token-a", "decide"));
        assertEquals(Set.of("decide"), tokens.lookup("token-a").getRoles());
        clock.advance(Duration.ofSeconds(59));
        assertNotNull(tokens.lookup("token-a"), "one second before exp");
        clock.advance(Duration.ofSeconds(1));
        assertNull(tokens.lookup("token-a"), "at exp the token is expired: quarkus-oidc verifies it (and refuses it)");
        clock.advance(Duration.ofSeconds(3600));
        assertNull(tokens.lookup("token-a"));
    }

    @Test
    void anExpiredTokenIsNeverKept() {
        tokens.remember("token-b", Set.of(SERVICE), in(0), identity("token-b", "decide"));
        tokens.remember("token-c", Set.of(SERVICE), in(-30), identity("token-c", "decide"));
        assertNull(tokens.lookup("token-b"));
        assertNull(tokens.lookup("token-c"));
    }

    @Test
    void aTokenAddressedToAnotherServiceIsNeverKept() {
        tokens.remember("token-d", Set.of("usage-ledger"), in(60), identity("token-d", "decide"));
        tokens.remember("token-e", null, in(60), identity("token-e", "decide"));
        tokens.remember("token-f", Set.of(), in(60), identity("token-f", "decide"));
        assertNull(tokens.lookup("token-d"));
        assertNull(tokens.lookup("token-e"));
        assertNull(tokens.lookup("token-f"));
        assertEquals(0, tokens.size());
    }

    @Test
    void onlyTheExactTokenMatchesAndEachKeepsItsOwnRoles() {
        // Two tokens of one subject with different roles (say before and after a role was revoked in Keycloak).
        tokens.remember(
                "token-g", Set.of(SERVICE, "kyc-service"), in(60), identity("token-g", "decide", "policy-admin"));
        tokens.remember("token-h", Set.of(SERVICE), in(60), identity("token-h", "decide"));
        assertEquals(Set.of("decide", "policy-admin"), tokens.lookup("token-g").getRoles());
        assertEquals(Set.of("decide"), tokens.lookup("token-h").getRoles());
        assertNull(
                tokens.lookup("token-G"), "a token differing in one character (a forged signature) was never verified");
        assertNull(tokens.lookup("token-g "), "nor one with anything appended");
    }

    @Test
    void sizeZeroVerifiesEveryCall() {
        VerifiedTokens off = new VerifiedTokens(0, SERVICE, clock);
        off.remember("token-i", Set.of(SERVICE), in(60), identity("token-i", "decide"));
        assertNull(off.lookup("token-i"));
    }
}
