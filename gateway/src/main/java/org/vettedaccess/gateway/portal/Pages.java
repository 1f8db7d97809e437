package org.vettedaccess.gateway.portal;

import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Renders portal pages with what every page needs: the user, the navigation their roles allow, and the CSRF
 * token. CSRF uses a double-submit token: a random value in a {@code SameSite=Strict}, HttpOnly cookie scoped to
 * /portal and the same value in every form; a POST whose form does not carry the cookie's value is refused.
 */
@RequestScoped
public class Pages {

    static final String CSRF_COOKIE = "portal-csrf";
    static final String CSRF_FIELD = "csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Engine engine;
    private final SecurityIdentity identity;
    private final JsonWebToken accessToken;
    private final HttpHeaders headers;
    private PortalUser user;
    private String csrf;
    private boolean newCsrf;

    public Pages(Engine engine, SecurityIdentity identity, JsonWebToken accessToken, HttpHeaders headers) {
        this.engine = engine;
        this.identity = identity;
        this.accessToken = accessToken;
        this.headers = headers;
    }

    public PortalUser user() {
        if (user == null) {
            user = PortalUser.of(identity, accessToken);
        }
        return user;
    }

    /** A page from {@code templates/portal/<name>.html}. */
    public TemplateInstance page(String name, String title) {
        return engine.getTemplate("portal/" + name)
                .data("user", user())
                .data("title", title)
                .data("csrf", csrfToken());
    }

    /** Null if the form carries the CSRF token of this browser's cookie; else the 403 page to answer with. */
    public Response csrfRefusal(MultivaluedMap<String, String> form) {
        Cookie cookie = headers.getCookies().get(CSRF_COOKIE);
        String sent = form == null ? null : form.getFirst(CSRF_FIELD);
        if (cookie == null
                || sent == null
                || !MessageDigest.isEqual(
                        cookie.getValue().getBytes(StandardCharsets.US_ASCII),
                        sent.getBytes(StandardCharsets.US_ASCII))) {
            return status(
                    403,
                    page("forbidden", "Not allowed")
                            .data(
                                    "what",
                                    "The form was not sent from this portal (its security token is missing or"
                                            + " stale); reload the page and try again."));
        }
        return null;
    }

    public Response ok(TemplateInstance page) {
        return status(200, page);
    }

    public Response status(int status, TemplateInstance page) {
        Response.ResponseBuilder response =
                Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(page);
        if (newCsrf) {
            response.cookie(new NewCookie.Builder(CSRF_COOKIE)
                    .value(csrf)
                    .path("/portal")
                    .httpOnly(true)
                    .sameSite(NewCookie.SameSite.STRICT)
                    .build());
        }
        return response.header("Cache-Control", "no-store").build();
    }

    /** The 403 page: the link may be hidden, but this is the control (and the services check again). */
    public Response forbidden(String what) {
        return status(403, page("forbidden", "Not allowed").data("what", what));
    }

    /** A service refused: its detail in a page with the service's status (never a stack trace). */
    public Response problem(PortalProblem problem) {
        int status = problem.status() == 401 ? 403 : problem.status();
        return status(status, page("problem", "Not possible").data("problem", problem));
    }

    public Response redirect(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    private String csrfToken() {
        if (csrf == null) {
            Cookie cookie = headers.getCookies().get(CSRF_COOKIE);
            if (cookie != null && cookie.getValue().length() >= 32) {
                csrf = cookie.getValue();
            } else {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                csrf = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                newCsrf = true;
            }
        }
        return csrf;
    }
}
