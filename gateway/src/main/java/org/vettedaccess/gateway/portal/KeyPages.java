package org.vettedaccess.gateway.portal;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.vettedaccess.gateway.config.GatewayConfig;
import org.vettedaccess.gateway.key.KeyService;
import org.vettedaccess.gateway.key.KeyViews;
import org.vettedaccess.support.problem.ProblemException;

/** API keys: the researcher's keys, a new key for one of their active grants (shown once), rotate and revoke. */
@Path("/portal/keys")
@Produces(MediaType.TEXT_HTML)
public class KeyPages {

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance keys(
                List<KeyViews.KeyView> keys,
                List<GrantView> grants,
                KeyViews.IssuedKey issued,
                String error,
                String baseUrl);
    }

    private final Pages pages;
    private final PortalClients services;
    private final Views views;
    private final KeyService keys;
    private final GatewayConfig config;

    public KeyPages(Pages pages, PortalClients services, Views views, KeyService keys, GatewayConfig config) {
        this.pages = pages;
        this.services = services;
        this.views = views;
        this.keys = keys;
        this.config = config;
    }

    @GET
    public Response list() {
        if (!pages.user().researcher()) {
            return pages.forbidden("API keys are for researchers.");
        }
        return pages.ok(page(null, null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> form) {
        if (!pages.user().researcher()) {
            return pages.forbidden("API keys are for researchers.");
        }
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        String grant = form.getFirst("grantId");
        try {
            KeyViews.IssuedKey issued = keys.issue(
                    pages.user().subject(),
                    new KeyViews.KeyRequest(
                            blankToNull(form.getFirst("name")),
                            grant == null || grant.isBlank() ? null : UUID.fromString(grant),
                            null));
            return pages.status(201, page(issued, null));
        } catch (ProblemException e) {
            return pages.status(e.type().status(), page(null, e.getMessage()));
        } catch (IllegalArgumentException e) {
            return pages.status(400, page(null, "Choose one of your grants."));
        }
    }

    @POST
    @Path("/{id}/{action:rotate|revoke}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response change(
            @PathParam("id") UUID id, @PathParam("action") String action, MultivaluedMap<String, String> form) {
        if (!pages.user().researcher()) {
            return pages.forbidden("API keys are for researchers.");
        }
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        try {
            if (action.equals("rotate")) {
                return pages.ok(page(keys.rotate(pages.user().subject(), id), null));
            }
            keys.revoke(pages.user().subject(), id);
            return pages.redirect("/portal/keys");
        } catch (ProblemException e) {
            return pages.status(e.type().status(), page(null, e.getMessage()));
        }
    }

    private TemplateInstance page(KeyViews.IssuedKey issued, String error) {
        List<GrantView> grants;
        try {
            grants = views.list(services.grants(), GrantView.class).stream()
                    .filter(g -> "ACTIVE".equals(g.status()))
                    .toList();
        } catch (PortalProblem problem) {
            grants = List.of();
        }
        return pages.render(
                Templates.keys(
                        keys.list(pages.user().subject()),
                        grants,
                        issued,
                        error,
                        config.portal().publicUrl()),
                "API keys");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
