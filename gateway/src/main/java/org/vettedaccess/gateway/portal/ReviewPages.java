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
 * The KYC reviewer's pages: the queue with its SLA, one application with its checks and sanctions candidates,
 * and claim, decide (always with a reason), disposition a candidate (always with evidence) and declare a conflict.
 * kyc-service enforces four-eyes, the dispositions an approval needs, and conflicts.
 */
@Path("/portal/review")
@Produces(MediaType.TEXT_HTML)
public class ReviewPages {

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance reviewQueue(List<ReviewView.QueueRow> queue, StaffNames.Names names);

        static native TemplateInstance review(
                ReviewView.Application app, StaffNames.Names names, PortalProblem error, ReviewView.Echo echo);
    }

    private final Pages pages;
    private final PortalClients services;
    private final Views views;
    private final StaffNames names;

    public ReviewPages(Pages pages, PortalClients services, Views views, StaffNames names) {
        this.pages = pages;
        this.names = names;
        this.services = services;
        this.views = views;
    }

    @GET
    public Response queue() {
        if (!pages.user().reviewer()) {
            return pages.forbidden("The review queue is for KYC reviewers.");
        }
        try {
            List<ReviewView.QueueRow> queue = views.list(services.reviewQueue(), ReviewView.QueueRow.class);
            return pages.ok(pages.render(
                    Templates.reviewQueue(
                            queue,
                            names.of(queue.stream()
                                    .map(ReviewView.QueueRow::claimedBy)
                                    .toList())),
                    "Review queue"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }

    @GET
    @Path("/{id}")
    public Response application(@PathParam("id") UUID id) {
        if (!pages.user().reviewer()) {
            return pages.forbidden("Reviewing applications is for KYC reviewers.");
        }
        return detail(id, null, echo("", ""));
    }

    @POST
    @Path("/{id}/{action:claim|decide|conflict|disposition}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(
            @PathParam("id") UUID id, @PathParam("action") String action, MultivaluedMap<String, String> form) {
        if (!pages.user().reviewer()) {
            return pages.forbidden("Reviewing applications is for KYC reviewers.");
        }
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        if (action.equals("disposition")) {
            return disposition(id, form);
        }
        Map<String, Object> body = new HashMap<>();
        if (action.equals("decide")) {
            body.put("decision", form.getFirst("decision"));
        }
        String reason = form.getFirst("reason");
        if (!action.equals("claim")) {
            if (reason == null || reason.isBlank()) {
                return detail(
                        id,
                        new PortalProblem(400, "invalid-request", "'reason' is required: write why."),
                        echo(action, ""));
            }
            body.put("reason", reason);
        }
        try {
            services.review(id.toString(), action, body);
            return pages.redirect(action.equals("conflict") ? "/portal/review" : "/portal/review/" + id);
        } catch (PortalProblem problem) {
            return detail(id, problem, echo(action, reason == null ? "" : reason));
        }
    }

    /** What the page writes back into a refused form (every key present: templates render strictly). */
    private static ReviewView.Echo echo(String action, String reason) {
        return new ReviewView.Echo(action, reason, "", "");
    }

    /** A candidate's disposition: FALSE_POSITIVE or TRUE_MATCH, with the evidence (required). */
    private Response disposition(UUID id, MultivaluedMap<String, String> form) {
        String candidate = form.getFirst("candidate");
        String evidence = form.getFirst("evidence");
        ReviewView.Echo echo = new ReviewView.Echo(
                "disposition", "", candidate == null ? "" : candidate, evidence == null ? "" : evidence);
        UUID candidateId;
        try {
            candidateId = UUID.fromString(candidate == null ? "" : candidate);
        } catch (IllegalArgumentException e) {
            return detail(id, new PortalProblem(400, "invalid-request", "'candidate' must be a candidate's id."), echo);
        }
        if (evidence == null || evidence.isBlank()) {
            return detail(
                    id,
                    new PortalProblem(400, "invalid-request", "'evidence' is required: write what you checked."),
                    echo);
        }
        Map<String, Object> body = new HashMap<>();
        body.put("disposition", form.getFirst("disposition"));
        body.put("evidence", evidence);
        try {
            services.disposition(id.toString(), candidateId.toString(), body);
            return pages.redirect("/portal/review/" + id);
        } catch (PortalProblem problem) {
            return detail(id, problem, echo);
        }
    }

    private Response detail(UUID id, PortalProblem problem, ReviewView.Echo echo) {
        try {
            ReviewView.Application application =
                    views.as(services.forReview(id.toString()), ReviewView.Application.class);
            return pages.status(
                    problem == null ? 200 : problem.status(),
                    pages.render(
                            Templates.review(application, names.of(application.reviewers()), problem, echo),
                            "Review an application"));
        } catch (PortalProblem notFound) {
            return pages.problem(notFound);
        }
    }
}
