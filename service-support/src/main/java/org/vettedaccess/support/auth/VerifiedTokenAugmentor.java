package org.vettedaccess.support.auth;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Keeps each bearer identity quarkus-oidc has just verified in {@link VerifiedTokens}. Runs before any other
 * augmentor, so what it keeps is quarkus-oidc's identity as it was produced; the others run again on every call.
 */
@ApplicationScoped
public class VerifiedTokenAugmentor implements SecurityIdentityAugmentor {

    private final VerifiedTokens tokens;

    public VerifiedTokenAugmentor(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public int priority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        if (credential != null
                && identity.getAttribute(VerifiedTokenProvider.FROM_CACHE) == null
                && identity.getPrincipal() instanceof JsonWebToken jwt) {
            tokens.remember(
                    credential.getToken(), jwt.getAudience(), jwt.getExpirationTime(), withoutRequest(identity));
        }
        return Uni.createFrom().item(identity);
    }

    /** The identity without what belongs to the request it was verified in (its routing context). */
    private static SecurityIdentity withoutRequest(SecurityIdentity identity) {
        QuarkusSecurityIdentity.Builder kept = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(identity.getRoles());
        identity.getCredentials().forEach(kept::addCredential);
        identity.getAttributes().forEach((name, value) -> {
            if (!VerifiedTokenProvider.PER_REQUEST.contains(name)) {
                kept.addAttribute(name, value);
            }
        });
        return kept.build();
    }
}
