package org.vettedaccess.gateway.portal;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The regulator's view of tripwire trips (issue 21): read from the ledger's {@code tripwire.tripped} leaves, not
 * from the lab's database, so what the regulator sees is what the log holds (each row links to its inclusion
 * check); the rule version each names is its {@code tripwire.changed} leaf.
 */
@Path("/portal/regulator/trips")
@Produces(MediaType.TEXT_HTML)
public class RegulatorTripPages {

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance regulatorTrips(List<LedgerView.Trip> trips, Long next);
    }

    private final Pages pages;
    private final PortalClients services;
    private final Views views;

    public RegulatorTripPages(Pages pages, PortalClients services, Views views) {
        this.pages = pages;
        this.services = services;
        this.views = views;
    }

    @GET
    public Response trips(@QueryParam("after") Long after) {
        if (!pages.user().regulator()) {
            return pages.forbidden("The ledger's regulator view is for regulators.");
        }
        try {
            LedgerView.EntryPage page = views.as(
                    services.entries("tripwire.tripped", null, null, null, null, after, 50),
                    LedgerView.EntryPage.class);
            return pages.ok(pages.render(
                    Templates.regulatorTrips(
                            page.entries().stream().map(LedgerView.Trip::of).toList(), page.next()),
                    "Tripwire trips"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }
}
