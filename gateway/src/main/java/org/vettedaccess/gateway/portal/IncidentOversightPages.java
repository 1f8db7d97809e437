package org.vettedaccess.gateway.portal;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The regulator's view of incident reports: the open ones and every breached deadline, without text or reporter
 * (each report's leaves, with the text commitment and the reporter's pseudonym, are in the ledger).
 */
@Path("/portal/regulator/incidents")
@Produces(MediaType.TEXT_HTML)
public class IncidentOversightPages {

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance regulatorIncidents(IncidentView.Overview overview);
    }

    private final Pages pages;
    private final IncidentPortalClient incidents;
    private final Views views;

    public IncidentOversightPages(Pages pages, IncidentPortalClient incidents, Views views) {
        this.pages = pages;
        this.incidents = incidents;
        this.views = views;
    }

    @GET
    public Response overview() {
        if (!pages.user().regulator()) {
            return pages.forbidden("The incident oversight view is for regulators.");
        }
        try {
            return pages.ok(pages.render(
                    Templates.regulatorIncidents(views.as(incidents.overview(), IncidentView.Overview.class)),
                    "Incident reports"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }
}
