package org.vettedaccess.gateway.portal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The regulator's view of tripwire trips (issue 21): read from the ledger's {@code tripwire.tripped} leaves, not
 * from the lab's database, so what the regulator sees is what the log holds (each row links to its inclusion
 * check); the rule version each names is its {@code tripwire.changed} leaf.
 */
@Path("/portal/regulator/trips")
@Produces(MediaType.TEXT_HTML)
public class RegulatorTripPages {

    private final Pages pages;
    private final PortalClients services;

    public RegulatorTripPages(Pages pages, PortalClients services) {
        this.pages = pages;
        this.services = services;
    }

    @GET
    public Response trips(@QueryParam("after") Long after) {
        if (!pages.user().regulator()) {
            return pages.forbidden("The ledger's regulator view is for regulators.");
        }
        try {
            Map<String, Object> page = services.entries("tripwire.tripped", null, null, null, null, after, 50);
            return pages.ok(pages.page("regulator-trips", "Tripwire trips")
                    .data("trips", page.get("entries"))
                    .data("next", page.get("next")));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }
}
