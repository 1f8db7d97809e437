package org.vettedaccess.gateway.portal;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.gateway.incident.IncidentFiling;
import org.vettedaccess.support.problem.ProblemException;

/**
 * The researcher's reports: file a flaw or incident report with receipts of their own calls, and see each report's
 * status, deadlines and embargo, with the salt that opens its ledger commitment. The gateway resolves the receipts
 * for the signed-in researcher (IncidentFiling), so another researcher's call cannot be attached.
 */
@Path("/portal/incidents")
@Produces(MediaType.TEXT_HTML)
public class IncidentPages {

    static final List<String> CATEGORIES = List.of(
            "DANGEROUS_CAPABILITY", "SAFEGUARD_BYPASS", "PRIVACY_LEAK", "SERVICE_SECURITY", "HARMFUL_BIAS", "OTHER");
    static final List<String> SEVERITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW");

    private final Pages pages;
    private final PortalClients services;
    private final IncidentPortalClient incidents;
    private final IncidentFiling filing;

    public IncidentPages(Pages pages, PortalClients services, IncidentPortalClient incidents, IncidentFiling filing) {
        this.pages = pages;
        this.services = services;
        this.incidents = incidents;
        this.filing = filing;
    }

    @GET
    public Response list() {
        if (!pages.user().researcher()) {
            return pages.forbidden("Reports are filed by researchers.");
        }
        return page(null, Map.of(), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response file(MultivaluedMap<String, String> form) {
        if (!pages.user().researcher()) {
            return pages.forbidden("Reports are filed by researchers.");
        }
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        Map<String, Object> echo = new HashMap<>();
        form.forEach((name, values) -> echo.put(name, values.isEmpty() ? "" : values.get(0)));
        String receipts = form.getFirst("receipts");
        try {
            Map<String, Object> filed = filing.file(
                    pages.user().subject(),
                    new IncidentFiling.Report(
                            form.getFirst("model"),
                            form.getFirst("category"),
                            form.getFirst("severity"),
                            form.getFirst("description"),
                            receipts == null
                                    ? List.of()
                                    : Arrays.stream(receipts.split("[,\\s]+"))
                                            .filter(r -> !r.isBlank())
                                            .toList()));
            return page(null, Map.of(), filed);
        } catch (ProblemException problem) {
            PortalProblem error =
                    new PortalProblem(problem.type().status(), problem.type().name(), problem.getMessage());
            return page(error, echo, null);
        }
    }

    private Response page(PortalProblem error, Map<String, Object> echo, Map<String, Object> filed) {
        try {
            Map<String, Object> shown = new HashMap<>(echo);
            for (String field : List.of("model", "category", "severity", "description", "receipts")) {
                shown.putIfAbsent(field, "");
            }
            String field = error == null ? null : error.field();
            if (field != null && field.startsWith("receipts[")) {
                field = "receipts";
            }
            return pages.status(
                    error == null ? (filed == null ? 200 : 201) : error.status(),
                    pages.page("incidents", "Reports")
                            .data("reports", incidents.mine())
                            .data("models", services.models())
                            .data("categories", CATEGORIES)
                            .data("severities", SEVERITIES)
                            .data("values", shown)
                            .data("filed", filed)
                            .data("error", error)
                            .data("errorField", field == null ? "" : field));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }
}
