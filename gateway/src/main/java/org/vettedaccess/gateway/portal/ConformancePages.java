package org.vettedaccess.gateway.portal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The regulator's conformance page (issue 20): the ledger's replay of the lab's rules over the whole log, a period
 * (dates) or an index range, with the count per rule; each violation links to its leaves, whose page checks their
 * inclusion in the latest checkpoint. The ledger computes it and authorises the regulator; the portal only shows.
 */
@Path("/portal/regulator/conformance")
@Produces(MediaType.TEXT_HTML)
public class ConformancePages {

    private final Pages pages;
    private final PortalClients services;

    public ConformancePages(Pages pages, PortalClients services) {
        this.pages = pages;
        this.services = services;
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
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("from", from == null ? "" : from);
        query.put("to", to == null ? "" : to);
        query.put("since", since == null ? "" : since.strip());
        query.put("until", until == null ? "" : until.strip());
        try {
            Map<String, Object> report = services.conformance(from, to, instant(since), instant(until));
            return pages.ok(pages.page("regulator-conformance", "Conformance")
                    .data("query", query)
                    .data("report", report));
        } catch (PortalProblem problem) {
            return pages.status(
                    problem.status(),
                    pages.page("regulator-conformance", "Conformance")
                            .data("query", query)
                            .data(
                                    "report",
                                    Map.of("rules", List.of(), "violations", List.of(), "uncheckable", List.of()))
                            .data("error", problem));
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
