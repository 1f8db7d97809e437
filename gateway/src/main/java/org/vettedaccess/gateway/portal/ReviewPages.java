package org.vettedaccess.gateway.portal;

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

    private final Pages pages;
    private final PortalClients services;

    public ReviewPages(Pages pages, PortalClients services) {
        this.pages = pages;
        this.services = services;
    }

    @GET
    public Response queue() {
        if (!pages.user().reviewer()) {
            return pages.forbidden("The review queue is for KYC reviewers.");
        }
        try {
            return pages.ok(pages.page("review-queue", "Review queue").data("queue", services.reviewQueue()));
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
    private static Map<String, Object> echo(String action, String reason) {
        return Map.of("action", action, "reason", reason, "candidate", "", "evidence", "");
    }

    /** A candidate's disposition: FALSE_POSITIVE or TRUE_MATCH, with the evidence (required). */
    private Response disposition(UUID id, MultivaluedMap<String, String> form) {
        String candidate = form.getFirst("candidate");
        String evidence = form.getFirst("evidence");
        Map<String, Object> echo = Map.of(
                "action",
                "disposition",
                "reason",
                "",
                "candidate",
                candidate == null ? "" : candidate,
                "evidence",
                evidence == null ? "" : evidence);
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

    private Response detail(UUID id, PortalProblem problem, Map<String, Object> echo) {
        try {
            Map<String, Object> application = services.forReview(id.toString());
            return pages.status(
                    problem == null ? 200 : problem.status(),
                    pages.page("review", "Review an application")
                            .data("app", application)
                            .data("error", problem)
                            .data("echo", echo)
                            .data("me", pages.user().subject()));
        } catch (PortalProblem notFound) {
            return pages.problem(notFound);
        }
    }
}
