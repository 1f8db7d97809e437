package org.vettedaccess.gateway.portal;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import org.vettedaccess.contracts.policy.ModelRecord;
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

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance incidents(
                List<IncidentView.Report> reports,
                List<ModelRecord> models,
                List<String> categories,
                List<String> severities,
                IncidentView.Values values,
                IncidentView.Report filed,
                PortalProblem error,
                String errorField);
    }

    static final List<String> CATEGORIES = List.of(
            "DANGEROUS_CAPABILITY", "SAFEGUARD_BYPASS", "PRIVACY_LEAK", "SERVICE_SECURITY", "HARMFUL_BIAS", "OTHER");
    static final List<String> SEVERITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW");

    private final Pages pages;
    private final PortalClients services;
    private final IncidentPortalClient incidents;
    private final IncidentFiling filing;
    private final Views views;

    public IncidentPages(
            Pages pages, PortalClients services, IncidentPortalClient incidents, IncidentFiling filing, Views views) {
        this.pages = pages;
        this.views = views;
        this.services = services;
        this.incidents = incidents;
        this.filing = filing;
    }

    @GET
    public Response list() {
        if (!pages.user().researcher()) {
            return pages.forbidden("Reports are filed by researchers.");
        }
        return page(null, IncidentView.Values.EMPTY, null);
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
        IncidentView.Values echo = new IncidentView.Values(
                text(form, "model"),
                text(form, "category"),
                text(form, "severity"),
                text(form, "description"),
                text(form, "receipts"));
        String receipts = form.getFirst("receipts");
        try {
            Object filed = filing.file(
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
            return page(null, IncidentView.Values.EMPTY, views.as(filed, IncidentView.Report.class));
        } catch (ProblemException problem) {
            PortalProblem error =
                    new PortalProblem(problem.type().status(), problem.type().name(), problem.getMessage());
            return page(error, echo, null);
        }
    }

    private Response page(PortalProblem error, IncidentView.Values values, IncidentView.Report filed) {
        try {
            String field = error == null ? null : error.field();
            if (field != null && field.startsWith("receipts[")) {
                field = "receipts";
            }
            return pages.status(
                    error == null ? (filed == null ? 200 : 201) : error.status(),
                    pages.render(
                            Templates.incidents(
                                    views.list(incidents.mine(), IncidentView.Report.class),
                                    services.models(),
                                    CATEGORIES,
                                    SEVERITIES,
                                    values,
                                    filed,
                                    error,
                                    field == null ? "" : field),
                            "Reports"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }

    private static String text(MultivaluedMap<String, String> form, String field) {
        String value = form.getFirst(field);
        return value == null ? "" : value;
    }
}
