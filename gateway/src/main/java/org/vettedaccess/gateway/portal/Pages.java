package org.vettedaccess.gateway.portal;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Renders portal pages with what every page needs: the user, the navigation their roles allow, and the CSRF
 * token. The CSRF token is bound to the sign-in session: an HMAC of the Keycloak session id ({@code sid}) under a
 * key every replica derives from the portal's state secret. A POST whose form does not carry this session's token
 * is refused, so neither a forged form nor another session's token (a token read from a different sign-in, or
 * planted by a sibling subdomain as a double-submit cookie could be) gets through. No CSRF cookie is needed.
 */
@RequestScoped
public class Pages {

    static final String CSRF_FIELD = "csrf";

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance forbidden(String what);

        static native TemplateInstance problem(PortalProblem problem);
    }

    private final SecurityIdentity identity;
    private final JsonWebToken accessToken;
    private final CsrfKey csrfKey;
    private PortalUser user;
    private String csrf;

    public Pages(SecurityIdentity identity, JsonWebToken accessToken, CsrfKey csrfKey) {
        this.identity = identity;
        this.accessToken = accessToken;
        this.csrfKey = csrfKey;
    }

    public PortalUser user() {
        if (user == null) {
            user = PortalUser.of(identity, accessToken);
        }
        return user;
    }

    /**
     * The signed-in person's name and email as their Keycloak profile states them (the token's {@code name} and
     * {@code email} claims) and their linked ORCID iD ({@code orcid}), to prefill a form; empty where none.
     */
    public ApplicationForm.Profile profile() {
        String name = accessToken.getClaim("name");
        String email = accessToken.getClaim("email");
        String orcid = accessToken.getClaim("orcid");
        return new ApplicationForm.Profile(
                name == null ? "" : name, email == null ? "" : email, orcid == null ? "" : orcid);
    }

    /** A type-safe page (a {@code @CheckedTemplate} method's instance) with what every page needs. */
    public TemplateInstance render(TemplateInstance page, String title) {
        return page.data("user", user()).data("title", title).data("csrf", csrfToken());
    }

    /** Null if the form carries this session's CSRF token; else the 403 page to answer with. */
    public Response csrfRefusal(MultivaluedMap<String, String> form) {
        String sent = form == null ? null : form.getFirst(CSRF_FIELD);
        if (sent == null
                || !MessageDigest.isEqual(
                        csrfToken().getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII))) {
            return status(
                    403,
                    render(
                            Templates.forbidden("The form was not sent from this portal (its security token is"
                                    + " missing or stale); reload the page and try again."),
                            "Not allowed"));
        }
        return null;
    }

    /** Null if a policy admin sent the form with this session's CSRF token; else the 403 page (saying {@code what}). */
    public Response adminFormRefusal(MultivaluedMap<String, String> form, String what) {
        return user().admin() ? csrfRefusal(form) : forbidden(what);
    }

    public Response ok(TemplateInstance page) {
        return status(200, page);
    }

    public Response status(int status, TemplateInstance page) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE)
                .entity(page)
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The 403 page: the link may be hidden, but this is the control (and the services check again). */
    public Response forbidden(String what) {
        return status(403, render(Templates.forbidden(what), "Not allowed"));
    }

    /** A service refused: its detail in a page with the service's status (never a stack trace). */
    public Response problem(PortalProblem problem) {
        int status = problem.status() == 401 ? 403 : problem.status();
        return status(status, render(Templates.problem(problem), "Not possible"));
    }

    public Response redirect(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    private String csrfToken() {
        if (csrf == null) {
            // Keycloak puts the session id in every token of the session; a token without one (never seen from
            // Keycloak) falls back to the subject, which still binds the token to the user.
            Object sid = accessToken.getClaim("sid");
            csrf = csrfKey.tokenFor(sid == null ? "sub:" + accessToken.getSubject() : "sid:" + sid);
        }
        return csrf;
    }
}
