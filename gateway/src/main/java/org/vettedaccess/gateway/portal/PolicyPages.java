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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vettedaccess.contracts.policy.ModelRecord;

/**
 * The policy admin's pages: the kill switch (shown first, with its state), the model catalog with risk classes,
 * the tiers, catalog and tier changes waiting for a second admin, and grants (issue, suspend, reinstate, revoke).
 * access-policy enforces every rule, including the second admin needed to release a kill switch or to loosen the
 * catalog or a tier.
 */
@Path("/portal/admin")
@Produces(MediaType.TEXT_HTML)
public class PolicyPages {

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance admin(
                List<PolicyView.KillSwitch> active,
                int switches,
                List<ModelRecord> models,
                List<PolicyView.Tier> tiers,
                List<PolicyView.Change> changes,
                StaffNames.Names names,
                PortalProblem error,
                String me);

        static native TemplateInstance adminGrants(
                String subject,
                String name,
                List<GrantView> grants,
                List<ModelRecord> models,
                GrantForm values,
                PortalProblem error,
                String errorField);
    }

    private final Pages pages;
    private final PortalClients services;
    private final Views views;
    private final StaffNames names;

    public PolicyPages(Pages pages, PortalClients services, Views views, StaffNames names) {
        this.pages = pages;
        this.names = names;
        this.services = services;
        this.views = views;
    }

    @GET
    public Response overview() {
        if (!pages.user().admin()) {
            return pages.forbidden("Policy administration is for policy admins.");
        }
        return overview(null, 200);
    }

    private Response overview(PortalProblem error, int status) {
        try {
            List<PolicyView.KillSwitch> switches = views.list(services.killSwitches(), PolicyView.KillSwitch.class);
            List<PolicyView.KillSwitch> active =
                    switches.stream().filter(s -> !"RELEASED".equals(s.state())).toList();
            List<PolicyView.Change> changes = views.list(services.pendingChanges(), PolicyView.Change.class);
            List<String> staff = new java.util.ArrayList<>();
            active.forEach(s -> {
                staff.add(s.engagedBy());
                staff.add(s.releaseRequestedBy());
            });
            changes.forEach(c -> staff.add(c.requestedBy()));
            return pages.status(
                    error == null ? status : error.status(),
                    pages.render(
                            Templates.admin(
                                    active,
                                    switches.size(),
                                    services.models(),
                                    views.list(services.tiers(), PolicyView.Tier.class),
                                    changes,
                                    names.of(staff),
                                    error,
                                    pages.user().subject()),
                            "Policy administration"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }

    @POST
    @Path("/killswitches")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response engage(MultivaluedMap<String, String> form) {
        Response refused = guard(form);
        if (refused != null) {
            return refused;
        }
        try {
            services.engage(
                    form.getFirst("scope"), form.getFirst("value"), form.getFirst("reason"), form.getFirst("model"));
            return pages.redirect("/portal/admin");
        } catch (PortalProblem problem) {
            return overview(problem, problem.status());
        }
    }

    @POST
    @Path("/killswitches/{id}/release")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response release(@PathParam("id") UUID id, MultivaluedMap<String, String> form) {
        Response refused = guard(form);
        if (refused != null) {
            return refused;
        }
        try {
            services.release(id.toString());
            return pages.redirect("/portal/admin");
        } catch (PortalProblem problem) {
            return overview(problem, problem.status());
        }
    }

    /** A second admin confirms a pending catalog or tier change; its requester withdraws it, another refuses it. */
    @POST
    @Path("/changes/{id}/{action:confirm|withdraw}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decideChange(
            @PathParam("id") UUID id, @PathParam("action") String action, MultivaluedMap<String, String> form) {
        Response refused = guard(form);
        if (refused != null) {
            return refused;
        }
        try {
            services.decideChange(id.toString(), action);
            return pages.redirect("/portal/admin");
        } catch (PortalProblem problem) {
            return overview(problem, problem.status());
        }
    }

    @GET
    @Path("/grants")
    public Response grants(@QueryParam("subject") String subject) {
        if (!pages.user().admin()) {
            return pages.forbidden("Grants are managed by policy admins.");
        }
        return grantsPage(subject, null, Map.of());
    }

    @POST
    @Path("/grants")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response issue(MultivaluedMap<String, String> form) {
        Response refused = guard(form);
        if (refused != null) {
            return refused;
        }
        String subject = form.getFirst("subject");
        Map<String, Object> echo = new HashMap<>();
        form.forEach((name, values) -> echo.put(name, values.isEmpty() ? "" : values.get(0)));
        try {
            Map<String, Object> grant = new HashMap<>();
            grant.put("subject", subject == null ? null : subject.strip());
            grant.put(
                    "models",
                    form.getFirst("models") == null
                            ? List.of()
                            : Arrays.stream(form.getFirst("models").split("[,\\s]+"))
                                    .filter(m -> !m.isBlank())
                                    .toList());
            grant.put("purpose", form.getFirst("purpose"));
            grant.put("tier", integer(form.getFirst("tier"), "tier"));
            int days = integer(form.getFirst("days"), "days");
            grant.put("validUntil", Instant.now().plus(days, ChronoUnit.DAYS).toString());
            services.issueGrant(grant);
            return pages.redirect("/portal/admin/grants?subject=" + URLEncoder.encode(subject, StandardCharsets.UTF_8));
        } catch (PortalProblem problem) {
            return grantsPage(subject, problem, echo);
        }
    }

    @POST
    @Path("/grants/{id}/{action:suspend|reinstate|revoke}")
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
            return grantsPage(subject, problem, Map.of());
        }
    }

    private Response grantsPage(String subject, PortalProblem error, Map<String, Object> echo) {
        String shownSubject = subject == null ? "" : subject.strip();
        try {
            List<GrantView> grants =
                    shownSubject.isEmpty() ? List.of() : views.list(services.grantsOf(shownSubject), GrantView.class);
            // One batched lookup for the page's subjects (here the one searched for), never one per row.
            String name = shownSubject.isEmpty()
                    ? null
                    : services.names(List.of(shownSubject)).get(shownSubject);
            Map<String, Object> shown = new HashMap<>(echo);
            shown.putIfAbsent("subject", shownSubject);
            String field = error == null ? null : error.field();
            return pages.status(
                    error == null ? 200 : error.status(),
                    pages.render(
                            Templates.adminGrants(
                                    shownSubject,
                                    name,
                                    grants,
                                    services.models(),
                                    GrantForm.of(shown),
                                    error,
                                    field == null ? "" : field),
                            "Grants"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }

    /** What the grant form's fields show. */
    public record GrantForm(String subject, String models, String purpose, String tier, String days) {
        static GrantForm of(Map<String, Object> values) {
            return new GrantForm(
                    text(values, "subject"),
                    text(values, "models"),
                    text(values, "purpose"),
                    text(values, "tier"),
                    text(values, "days"));
        }

        private static String text(Map<String, Object> values, String name) {
            Object value = values.get(name);
            return value == null ? "" : String.valueOf(value);
        }
    }

    private Response guard(MultivaluedMap<String, String> form) {
        if (!pages.user().admin()) {
            return pages.forbidden("Policy administration is for policy admins.");
        }
        return pages.csrfRefusal(form);
    }

    private static int integer(String value, String field) {
        try {
            return Integer.parseInt(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw new PortalProblem(400, "invalid-request", "'" + field + "' must be a whole number.");
        }
    }
}
