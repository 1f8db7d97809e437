package org.vettedaccess.gateway.portal;

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

    private final Pages pages;
    private final IncidentPortalClient incidents;

    public IncidentOversightPages(Pages pages, IncidentPortalClient incidents) {
        this.pages = pages;
        this.incidents = incidents;
    }

    @GET
    public Response overview() {
        if (!pages.user().regulator()) {
            return pages.forbidden("The incident oversight view is for regulators.");
        }
        try {
            return pages.ok(
                    pages.page("regulator-incidents", "Incident reports").data("overview", incidents.overview()));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }
}
