package org.vettedaccess.gateway.openai;

import io.quarkus.security.AuthenticationException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.gateway.key.KeyService;
import org.vettedaccess.support.caller.Roles;

/**
 * Authenticates a /v1 call by either of its two credentials, both sent as {@code Authorization: Bearer …} (which is
 * what the OpenAI SDKs send): a gateway API key ({@code va-…}, looked up by its hash), or a Keycloak access token,
 * verified by Quarkus OIDC (signature, issuer, expiry, audience {@code gateway}) and required to hold the
 * researcher role.
 */
@Singleton
class CallAuthenticator {

    private static final Duration TOKEN_CHECK = Duration.ofSeconds(5);

    private final KeyService keys;
    private final FailedAuthentications failures;

    CallAuthenticator(KeyService keys, FailedAuthentications failures) {
        this.keys = keys;
        this.failures = failures;
    }

    /**
     * The caller, if the API key's lookup is cached; null if finding out may block (a key not looked up lately, or
     * an access token), and then {@link #authenticate} must run on a worker thread. Never blocks.
     */
    ApiCaller cached(RoutingContext ctx) {
        String credential = credential(ctx);
        if (!credential.startsWith("va-")) {
            return null;
        }
        KeyService.CachedKey known = keys.cached(credential);
        if (known == null) {
            return null;
        }
        if (known.key() == null) {
            // Known to name no key (the negative cache): still a failed attempt of this client.
            failures.checkAllowed(client(ctx), credential);
            failures.failed(client(ctx));
        }
        return caller(Optional.ofNullable(known.key()));
    }

    /** Runs on a worker (virtual) thread: a key lookup may touch the database. */
    ApiCaller authenticate(RoutingContext ctx) {
        String credential = credential(ctx);
        String client = client(ctx);
        failures.checkAllowed(client, credential);
        try {
            ApiCaller caller = authenticate(ctx, credential);
            failures.succeeded(credential);
            return caller;
        } catch (OpenAiError refused) {
            if (refused.status() == 401) {
                failures.failed(client);
            }
            throw refused;
        }
    }

    private ApiCaller authenticate(RoutingContext ctx, String credential) {
        if (credential.startsWith("va-")) {
            return caller(keys.resolve(credential));
        }
        SecurityIdentity identity;
        try {
            Uni<SecurityIdentity> deferred = QuarkusHttpUser.getSecurityIdentity(ctx, null);
            identity = deferred == null ? null : deferred.await().atMost(TOKEN_CHECK);
        } catch (RuntimeException e) {
            // Quarkus's authentication failures all carry this marker interface.
            if (e instanceof AuthenticationException || e.getCause() instanceof AuthenticationException) {
                throw OpenAiError.unauthenticated("The access token is not valid for this gateway.");
            }
            throw e;
        }
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            throw OpenAiError.unauthenticated("The access token is not valid for this gateway.");
        }
        if (!identity.hasRole(Roles.RESEARCHER)) {
            throw OpenAiError.forbidden("not_a_researcher", "Only researchers may call models.");
        }
        return new ApiCaller(jwt.getSubject(), null, null);
    }

    /** The client's address (behind a trusted proxy, the one it forwarded, when the proxy settings say so). */
    static String client(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null
                ? "unknown"
                : ctx.request().remoteAddress().hostAddress();
    }

    private static String credential(RoutingContext ctx) {
        String credential = bearer(ctx);
        if (credential == null) {
            throw OpenAiError.unauthenticated(
                    "No credential was sent. Send 'Authorization: Bearer <API key or access token>'.");
        }
        return credential;
    }

    /** The bearer credential of the call, or null if it sent none. */
    static String bearer(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }

    private static ApiCaller caller(Optional<KeyService.ResolvedKey> key) {
        return key.map(k -> new ApiCaller(k.subject(), k.id(), k.grantId()))
                .orElseThrow(() -> OpenAiError.unauthenticated("The API key is unknown, expired or revoked."));
    }
}
