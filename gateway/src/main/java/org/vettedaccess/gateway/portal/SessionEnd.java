package org.vettedaccess.gateway.portal;

import io.quarkus.oidc.OidcSession;
import io.quarkus.oidc.SecurityEvent;
import io.quarkus.qute.Engine;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.vettedaccess.support.problem.ProblemMapper;

/**
 * Ends portal sessions that Keycloak ended. Keycloak's back-channel logout reaches one replica, and Quarkus
 * forgets it after the session's next request, so the session id is also recorded in PostgreSQL and every
 * portal request of a recorded session is refused, on every replica and for every copy of its cookie. A portal
 * request whose session cookie is ended, expired beyond refresh, or forged gets a page that signs in again,
 * not an API problem.
 */
@ApplicationScoped
public class SessionEnd {

    private static final Logger LOG = Logger.getLogger(SessionEnd.class);
    private static final String SESSION_COOKIE = "q_session_portal";

    private final EndedSessions ended;
    private final Instance<OidcSession> session;
    private final Instance<SecurityIdentity> identity;
    private final Engine engine;
    private final ProblemMapper problems = new ProblemMapper();

    public SessionEnd(
            EndedSessions ended, Instance<OidcSession> session, Instance<SecurityIdentity> identity, Engine engine) {
        this.ended = ended;
        this.session = session;
        this.identity = identity;
        this.engine = engine;
    }

    /**
     * Keycloak's verified logout token arrived (INITIATED: remember its session for every replica at once), or
     * Quarkus matched it to a session on this replica (COMPLETED: that session's ID token names it). The first
     * is read from Quarkus's verification result, which has no public accessor; the second is public API and
     * alone still stops replays of the cookie on this replica, should the first ever stop working.
     */
    void onBackChannelLogout(@Observes SecurityEvent event) {
        JsonObject claims = switch (event.getEventType()) {
            case OIDC_BACKCHANNEL_LOGOUT_INITIATED ->
                verifiedClaims(event.getEventProperties().get("logout_token"));
            case OIDC_BACKCHANNEL_LOGOUT_COMPLETED ->
                event.getSecurityIdentity() != null
                                && event.getSecurityIdentity().getPrincipal() instanceof JsonWebToken idToken
                        ? new JsonObject().put("sid", idToken.getClaim("sid")).put("sub", idToken.getSubject())
                        : null;
            default -> null;
        };
        if (claims == null) {
            return;
        }
        String sid =
                claims.getValue("sid") == null ? null : claims.getValue("sid").toString();
        if (sid == null) {
            LOG.warnf("a back-channel logout (%s) names no session id", event.getEventType());
            return;
        }
        // Observers run on the event loop that delivered the logout: store off it.
        Thread.startVirtualThread(() -> {
            try {
                ended.end(sid, claims.getString("sub"), Instant.now());
            } catch (SQLException e) {
                LOG.errorf("could not record the end of portal session %s: %s", sid, e.toString());
            }
        });
    }

    /** The claims of a logout token as Quarkus verified them (its {@code TokenVerificationResult}). */
    private static JsonObject verifiedClaims(Object verification) {
        if (verification == null) {
            return null;
        }
        try {
            java.lang.reflect.Field field = verification.getClass().getDeclaredField("localVerificationResult");
            field.setAccessible(true);
            return field.get(verification) instanceof JsonObject json ? json : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("cannot read the logout token's claims from %s: %s", verification.getClass(), e.toString());
            return null;
        }
    }

    /** Runs on the worker thread of every portal page, after sign-in. */
    @ServerRequestFilter
    public Optional<Response> refuseEndedSession(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/portal")) {
            return Optional.empty();
        }
        // A portal sign-in's principal is its ID token, which names the Keycloak session.
        Object sid = identity.get().getPrincipal() instanceof JsonWebToken idToken ? idToken.getClaim("sid") : null;
        if (sid == null) {
            return Optional.empty();
        }
        try {
            if (!ended.ended(sid.toString())) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            // Refuse rather than serve a session that may have been revoked.
            LOG.warnf("cannot check whether the portal session ended: %s", e.toString());
            return Optional.of(sessionEnded());
        }
        session.get().logout().await().indefinitely();
        return Optional.of(sessionEnded());
    }

    /** Authentication failed on a portal page (an ended, expired or forged session): sign in again. */
    @ServerExceptionMapper(
            value = {AuthenticationFailedException.class, AuthenticationCompletionException.class},
            priority = Priorities.USER - 1)
    public Response authenticationFailed(Exception e, UriInfo uri) {
        if (!uri.getPath().startsWith("/portal")) {
            return problems.invalidToken(e, uri);
        }
        return sessionEnded();
    }

    private Response sessionEnded() {
        return Response.status(401)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(engine.getTemplate("portal/session-ended").render())
                .cookie(new NewCookie.Builder(SESSION_COOKIE)
                        .value("")
                        .path("/portal")
                        .maxAge(0)
                        .httpOnly(true)
                        .build())
                .header("Cache-Control", "no-store")
                .build();
    }
}
