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
 * The policy admin's grant queue (ADR 0043): tier-2 and tier-3 approvals awaiting a grant, each with the
 * researcher's name and the models and purpose they applied with, issued or refused with one button. Nobody types
 * a subject or a model id; access-policy issues the grant through the ledger and checks every rule again.
 */
@Path("/portal/admin/handoffs")
@Produces(MediaType.TEXT_HTML)
public class HandoffPages {

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance adminHandoffs(List<HandoffView.Row> rows, PortalProblem error, String done);
    }

    private final Pages pages;
    private final PortalClients services;
    private final Views views;

    public HandoffPages(Pages pages, PortalClients services, Views views) {
        this.pages = pages;
        this.services = services;
        this.views = views;
    }

    @GET
    public Response queue() {
        if (!pages.user().admin()) {
            return pages.forbidden("The grant queue is for policy admins.");
        }
        return page(null, null);
    }

    @POST
    @Path("/{id}/{action:issue|refuse}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(
            @PathParam("id") UUID id, @PathParam("action") String action, MultivaluedMap<String, String> form) {
        if (!pages.user().admin()) {
            return pages.forbidden("Grants are issued and refused by policy admins.");
        }
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        Map<String, Object> decision = new HashMap<>();
        try {
            if (action.equals("issue")) {
                String days = form.getFirst("days");
                if (days != null && !days.isBlank()) {
                    decision.put("days", Integer.parseInt(days.strip()));
                }
            } else {
                decision.put("reason", form.getFirst("reason"));
            }
            services.decideHandoff(id.toString(), action, decision);
            return page(null, action.equals("issue") ? "Grant issued." : "Grant refused; the researcher sees why.");
        } catch (NumberFormatException e) {
            return page(new PortalProblem(400, "invalid-request", "'days' must be a whole number."), null);
        } catch (PortalProblem problem) {
            return page(problem, null);
        }
    }

    private Response page(PortalProblem error, String done) {
        try {
            List<HandoffView> waiting = views.list(services.handoffs(), HandoffView.class);
            // One batched lookup for the page's researchers, never one per row.
            Map<String, String> names = services.names(
                    waiting.stream().map(HandoffView::subject).distinct().toList());
            List<HandoffView.Row> rows = waiting.stream()
                    .map(h -> new HandoffView.Row(h, names.get(h.subject())))
                    .toList();
            return pages.status(
                    error == null ? 200 : error.status(),
                    pages.render(Templates.adminHandoffs(rows, error, done), "Grant queue"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }
}
