package org.vettedaccess.gateway.portal;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The policy admin's grants page: a researcher is found by name among the approved ones (kyc-service), their grants
 * are listed and changed (suspend, reinstate, revoke), and a grant is issued from a form whose models are ticked from
 * access-policy's catalog and whose tier follows from them (ADR 0081). No one types a subject or a model id; the
 * portal's server refuses a subject kyc-service does not know and a model the catalog does not offer beside the
 * field, whatever the browser sent, and access-policy checks every rule again.
 */
@Path("/portal/admin/grants")
@Produces(MediaType.TEXT_HTML)
public class GrantPages {

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance adminGrants(
                String subject,
                String name,
                String search,
                List<Researcher> found,
                List<GrantView> grants,
                List<ApplicationForm.CatalogModel> models,
                GrantForm values,
                PortalProblem error,
                String errorField);
    }

    private final Pages pages;
    private final PortalClients services;
    private final Views views;

    public GrantPages(Pages pages, PortalClients services, Views views) {
        this.pages = pages;
        this.services = services;
        this.views = views;
    }

    /** An approved researcher the search found, as kyc-service answers. */
    public record Researcher(
            String subject, String legalName, String affiliation, Integer approvedTier, Instant validUntil) {}

    @GET
    public Response grants(@QueryParam("subject") String subject, @QueryParam("name") String name) {
        if (!pages.user().admin()) {
            return pages.forbidden("Grants are managed by policy admins.");
        }
        return page(subject, name, null, Map.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response issue(MultivaluedMap<String, String> form) {
        Response refused = guard(form);
        if (refused != null) {
            return refused;
        }
        String subject =
                form.getFirst("subject") == null ? "" : form.getFirst("subject").strip();
        Map<String, Object> echo = new HashMap<>();
        form.forEach((field, values) -> echo.put(field, String.join(", ", values)));
        try {
            if (subject.isEmpty() || services.applicantName(subject) == null) {
                throw new PortalProblem(
                        400,
                        "invalid-request",
                        "'subject': no researcher with a KYC application has this id; find them by name above.");
            }
            List<String> sent = ModelPicks.sent(form, "models");
            if (sent.isEmpty()) {
                throw new PortalProblem(400, "invalid-request", "'models': tick at least one model.");
            }
            ModelPicks.Pick pick = ModelPicks.pick(sent, catalog(), "models");
            Map<String, Object> grant = new HashMap<>();
            grant.put("subject", subject);
            grant.put("models", pick.models());
            grant.put("purpose", form.getFirst("purpose"));
            grant.put("tier", pick.neededTier());
            int days = integer(form.getFirst("days"), "days");
            grant.put("validUntil", Instant.now().plus(days, ChronoUnit.DAYS).toString());
            services.issueGrant(grant);
            return pages.redirect("/portal/admin/grants?subject=" + URLEncoder.encode(subject, StandardCharsets.UTF_8));
        } catch (PortalProblem problem) {
            return page(subject, null, problem, echo);
        }
    }

    @POST
    @Path("/{id}/{action:suspend|reinstate|revoke}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response change(
            @PathParam("id") UUID id, @PathParam("action") String action, MultivaluedMap<String, String> form) {
        Response refused = guard(form);
        if (refused != null) {
            return refused;
        }
        String subject = form.getFirst("subject");
        try {
            services.changeGrant(id.toString(), action, form.getFirst("reason"));
            return pages.redirect("/portal/admin/grants?subject="
                    + URLEncoder.encode(subject == null ? "" : subject, StandardCharsets.UTF_8));
        } catch (PortalProblem problem) {
            return page(subject, null, problem, Map.of());
        }
    }

    private Response page(String subject, String search, PortalProblem error, Map<String, Object> echo) {
        String shownSubject = subject == null ? "" : subject.strip();
        String shownSearch = search == null ? "" : search.strip();
        PortalProblem shownError = error;
        try {
            List<Researcher> found = List.of();
            if (!shownSearch.isEmpty()) {
                try {
                    found = views.list(services.approvedResearchers(shownSearch), Researcher.class);
                } catch (PortalProblem refused) {
                    // A search too short or too long: shown beside the search field, the page still renders.
                    shownError = refused;
                }
            }
            // One batched lookup for the page's subject (the one chosen), never one per row.
            String name = shownSubject.isEmpty()
                    ? null
                    : services.names(List.of(shownSubject)).get(shownSubject);
            List<GrantView> grants =
                    shownSubject.isEmpty() ? List.of() : views.list(services.grantsOf(shownSubject), GrantView.class);
            Map<String, Object> shown = new HashMap<>(echo);
            shown.put("subject", shownSubject);
            String field = shownError == null ? null : shownError.field();
            return pages.status(
                    shownError == null ? 200 : shownError.status(),
                    pages.render(
                            Templates.adminGrants(
                                    shownSubject,
                                    name,
                                    shownSearch,
                                    found,
                                    grants,
                                    offered(),
                                    GrantForm.of(shown),
                                    shownError,
                                    field == null ? "" : field),
                            "Grants"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }

    private List<ApplicationForm.CatalogModel> catalog() {
        return services.models().stream().map(ApplicationForm.CatalogModel::of).toList();
    }

    /** The models the form offers: the catalog's ACTIVE ones; none if it cannot be read (the page says so). */
    private List<ApplicationForm.CatalogModel> offered() {
        try {
            return catalog().stream()
                    .filter(ApplicationForm.CatalogModel::offered)
                    .toList();
        } catch (PortalProblem | org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException e) {
            return List.of();
        }
    }

    /** What the grant form's fields show (after a refusal: what was sent). */
    public record GrantForm(String subject, String models, String purpose, String days) {
        static GrantForm of(Map<String, Object> values) {
            return new GrantForm(
                    text(values, "subject"), text(values, "models"), text(values, "purpose"), text(values, "days"));
        }

        /** Whether the model's checkbox is ticked. */
        public boolean picks(String model) {
            return List.of(models.split(",\\s*")).contains(model);
        }

        private static String text(Map<String, Object> values, String name) {
            Object value = values.get(name);
            return value == null ? "" : String.valueOf(value);
        }
    }

    private Response guard(MultivaluedMap<String, String> form) {
        return pages.adminFormRefusal(form, "Grants are managed by policy admins.");
    }

    private static int integer(String value, String field) {
        try {
            return Integer.parseInt(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw new PortalProblem(400, "invalid-request", "'" + field + "' must be a whole number.");
        }
    }
}
