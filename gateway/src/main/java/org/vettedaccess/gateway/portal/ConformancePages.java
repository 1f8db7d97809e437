package org.vettedaccess.gateway.portal;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The regulator's conformance page (issue 20): the ledger's replay of the lab's rules over the whole log, a period
 * (dates) or an index range, with the count per rule; each violation links to its leaves, whose page checks their
 * inclusion in the latest checkpoint. The ledger computes it and authorises the regulator; the portal only shows.
 */
@Path("/portal/regulator/conformance")
@Produces(MediaType.TEXT_HTML)
public class ConformancePages {

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance regulatorConformance(
                LedgerView.ConformanceQuery query, LedgerView.ConformanceReport report, PortalProblem error);
    }

    private final Pages pages;
    private final PortalClients services;
    private final Views views;

    public ConformancePages(Pages pages, PortalClients services, Views views) {
        this.pages = pages;
        this.services = services;
        this.views = views;
    }

    @GET
    public Response conformance(
            @QueryParam("from") Long from,
            @QueryParam("to") Long to,
            @QueryParam("since") String since,
            @QueryParam("until") String until) {
        if (!pages.user().regulator()) {
            return pages.forbidden("The conformance report is for regulators.");
        }
        LedgerView.ConformanceQuery query = new LedgerView.ConformanceQuery(
                from == null ? "" : from.toString(),
                to == null ? "" : to.toString(),
                since == null ? "" : since.strip(),
                until == null ? "" : until.strip());
        try {
            LedgerView.ConformanceReport report = views.as(
                    services.conformance(from, to, instant(since), instant(until)), LedgerView.ConformanceReport.class);
            return pages.ok(pages.render(Templates.regulatorConformance(query, report, null), "Conformance"));
        } catch (PortalProblem problem) {
            return pages.status(
                    problem.status(),
                    pages.render(
                            Templates.regulatorConformance(query, LedgerView.ConformanceReport.NONE, problem),
                            "Conformance"));
        }
    }

    /** A day (YYYY-MM-DD) as its first instant; anything else is passed on for the ledger to judge. */
    private static String instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        return text.length() == 10 ? text + "T00:00:00Z" : text;
    }
}
