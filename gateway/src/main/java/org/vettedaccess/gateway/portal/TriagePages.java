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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The incident triagers' pages: every report with its deadlines, and one report's detail with the answers its
 * status allows (acknowledge, triage with a confirmed severity, mitigate naming the change, disclose, reject with a
 * reason) and, for a critical report, the one-click MODEL kill switch. access-policy enforces every rule.
 */
@Path("/portal/triage")
@Produces(MediaType.TEXT_HTML)
public class TriagePages {

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance triage(List<IncidentView.Report> reports, IncidentView.Overview overview);

        static native TemplateInstance triageReport(
                IncidentView.Report r,
                StaffNames.Names names,
                boolean critical,
                List<String> severities,
                PortalProblem error);
    }

    private final Pages pages;
    private final IncidentPortalClient incidents;
    private final Views views;
    private final StaffNames names;

    public TriagePages(Pages pages, IncidentPortalClient incidents, Views views, StaffNames names) {
        this.pages = pages;
        this.incidents = incidents;
        this.views = views;
        this.names = names;
    }

    @GET
    public Response list() {
        if (!pages.user().triager()) {
            return pages.forbidden("Reports are triaged by incident triagers.");
        }
        try {
            return pages.ok(pages.render(
                    Templates.triage(
                            views.list(incidents.all(), IncidentView.Report.class),
                            views.as(incidents.overview(), IncidentView.Overview.class)),
                    "Triage"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }

    @GET
    @Path("/{id}")
    public Response report(@PathParam("id") UUID id) {
        if (!pages.user().triager()) {
            return pages.forbidden("Reports are triaged by incident triagers.");
        }
        return detail(id, null);
    }

    @POST
    @Path("/{id}/{action:acknowledge|triage|mitigate|disclose|reject|kill-switch}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response answer(
            @PathParam("id") UUID id, @PathParam("action") String action, MultivaluedMap<String, String> form) {
        if (!pages.user().triager()) {
            return pages.forbidden("Reports are triaged by incident triagers.");
        }
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        try {
            if (action.equals("kill-switch")) {
                incidents.killSwitch(id.toString());
            } else {
                Map<String, Object> body = new HashMap<>();
                for (String field : new String[] {"severity", "reason", "mitigation", "change"}) {
                    String value = form.getFirst(field);
                    if (value != null && !value.isBlank()) {
                        body.put(field, value);
                    }
                }
                incidents.answer(id.toString(), action, body);
            }
            return pages.redirect("/portal/triage/" + id);
        } catch (PortalProblem problem) {
            return detail(id, problem);
        }
    }

    private Response detail(UUID id, PortalProblem error) {
        try {
            IncidentView.Report report = views.as(incidents.get(id.toString()), IncidentView.Report.class);
            List<String> actors = new java.util.ArrayList<>();
            actors.add(report.reporter());
            report.history().forEach(e -> actors.add(e.actor()));
            StaffNames.Names shown = names.of(actors);
            return pages.status(
                    error == null ? 200 : error.status(),
                    pages.render(
                            Templates.triageReport(
                                    report,
                                    shown,
                                    "CRITICAL".equals(report.currentSeverity()),
                                    IncidentPages.SEVERITIES,
                                    error),
                            "Report"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }
}
