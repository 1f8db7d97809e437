package org.vettedaccess.support.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.vettedaccess.support.config.ServiceIdentityConfig;

/**
 * Bearer tokens this service replica has already verified, so that a token's RS256 signature and claims are checked once in
 * its lifetime rather than on every call (ADR 0082). quarkus-oidc verifies a token (signature, issuer, audience,
 * expiry) the first time it is seen; {@link VerifiedTokenAugmentor} then keeps the identity it produced, and
 * {@link VerifiedTokenProvider} answers the token's next calls from here. Quarkus caches only introspection and
 * UserInfo results, not locally verified JWTs.
 *
 * <p>Keyed by the SHA-256 of the raw token, so only the exact token that was verified matches. An entry is never
 * served at or after the token's {@code exp} (checked on every lookup; the cache's own expiry only frees memory), and
 * only tokens addressed to this service are kept. Roles are the token's own and are still checked on every call.
 *
 * <p>Off unless the service sets {@code vetted.verified-tokens.cache-size} ({@link VerifiedTokenConfig}).
 */
@ApplicationScoped
public class VerifiedTokens {

    /** A verified identity and the second its token expires ({@code exp}). */
    record Entry(SecurityIdentity identity, long expiresAt) {}

    private final Cache<String, Entry> cache;
    private final boolean enabled;
    private final String audience;
    private final Clock clock;

    @Inject
    public VerifiedTokens(VerifiedTokenConfig config, ServiceIdentityConfig service, Clock clock) {
        this(config.cacheSize(), config.audience().orElse(service.name()), clock);
    }

    VerifiedTokens(long size, String audience, Clock clock) {
        this.enabled = size > 0;
        this.audience = audience;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(size)
                .expireAfter(Expiry.creating((String key, Entry entry) -> Duration.ofSeconds(
                        Math.max(0, entry.expiresAt() - clock.instant().getEpochSecond()))))
                .build();
    }

    /** The identity verified for this exact token, if it was and its {@code exp} has not come; else null. */
    public SecurityIdentity lookup(String token) {
        if (!enabled) {
            return null;
        }
        Entry entry = cache.getIfPresent(key(token));
        if (entry == null || clock.instant().getEpochSecond() >= entry.expiresAt()) {
            return null;
        }
        return entry.identity();
    }

    /**
     * Keeps an identity quarkus-oidc has just verified for {@code token}, unless its token has expired or is not
     * addressed to this service (quarkus-oidc refuses those before this point; the check here keeps a future
     * configuration change from turning the cache into a bypass).
     */
    public void remember(String token, Set<String> tokenAudience, long expiresAt, SecurityIdentity identity) {
        if (!enabled
                || tokenAudience == null
                || !tokenAudience.contains(audience)
                || clock.instant().getEpochSecond() >= expiresAt) {
            return;
        }
        cache.put(key(token), new Entry(identity, expiresAt));
    }

    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private static String key(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
