package org.vettedaccess.support.auth;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Asked before quarkus-oidc's provider: a bearer token already verified here ({@link VerifiedTokens}) gets its
 * identity back at once; any other answers null, and quarkus-oidc verifies it as before. The identity is rebuilt per
 * request so it carries this request's routing context, not the one it was verified in (the kept one has none).
 */
@ApplicationScoped
public class VerifiedTokenProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Marks an identity served from the cache, so the augmentor does not keep it again. */
    static final String FROM_CACHE = VerifiedTokens.class.getName();

    /** Attributes quarkus-oidc sets from the request being authenticated: set again from each request. */
    static final Set<String> PER_REQUEST =
            Set.of(RoutingContext.class.getName(), AuthenticationRequestContext.class.getName());

    private final VerifiedTokens tokens;

    public VerifiedTokenProvider(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Before quarkus-oidc's provider, which has the default priority. */
    @Override
    public int priority() {
        return 2 * SYSTEM_FIRST;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        SecurityIdentity verified = tokens.lookup(request.getToken().getToken());
        if (verified == null) {
            return Uni.createFrom().nullItem();
        }
        QuarkusSecurityIdentity.Builder identity =
                QuarkusSecurityIdentity.builder(verified).addAttribute(FROM_CACHE, Boolean.TRUE);
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (routing != null) {
            identity.addAttribute(RoutingContext.class.getName(), routing);
            Object authentication = routing.get(AuthenticationRequestContext.class.getName());
            if (authentication != null) {
                identity.addAttribute(AuthenticationRequestContext.class.getName(), authentication);
            }
        }
        return Uni.createFrom().item(identity.build());
    }
}
