package org.vettedaccess.gateway.portal;

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
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vettedaccess.gateway.config.GatewayConfig;
import org.vettedaccess.gateway.key.KeyService;
import org.vettedaccess.gateway.key.KeyViews;
import org.vettedaccess.gateway.usage.OutboxRepository;
import org.vettedaccess.support.problem.ProblemException;

/**
 * The researcher's pages: apply (a three-step form saved as a draft), prove the institutional email, follow the
 * application, see grants with their quota, manage API keys, and see usage. Each page maps HTTP only; the
 * services (kyc-service, access-policy with the user's token; the gateway's own key and usage logic) decide.
 */
@Path("/portal")
@Produces(MediaType.TEXT_HTML)
public class ResearcherPages {

    /** The form's steps and the fields each one edits. */
    static final List<List<String>> STEPS = List.of(
            List.of("legalName", "email", "orcid", "country", "position", "dateOfBirth", "nationality"),
            List.of("affiliation", "rorId", "institutionalEmail"),
            List.of(
                    "purpose",
                    "requestedTier",
                    "requestedModels",
                    "fundingSources",
                    "conflictsOfInterest",
                    "termsAccepted"));

    private static final Set<String> EDITABLE = Set.of("DRAFT", "CHANGES_REQUESTED", "REJECTED");

    private final Pages pages;
    private final PortalClients services;
    private final KeyService keys;
    private final OutboxRepository usage;
    private final GatewayConfig config;

    public ResearcherPages(
            Pages pages, PortalClients services, KeyService keys, OutboxRepository usage, GatewayConfig config) {
        this.pages = pages;
        this.services = services;
        this.keys = keys;
        this.usage = usage;
        this.config = config;
    }

    @GET
    public Response home() {
        List<Map<String, Object>> applications = List.of();
        if (pages.user().researcher()) {
            try {
                applications = services.applications();
            } catch (PortalProblem problem) {
                return pages.problem(problem);
            }
        }
        return pages.ok(pages.page("home", "Home").data("applications", applications));
    }

    // ---- applying ----

    @GET
    @Path("/apply")
    public Response apply() {
        if (!pages.user().researcher()) {
            return pages.forbidden("Applying needs the researcher role.");
        }
        return pages.ok(form(null, Map.of(), 1, null, null));
    }

    @POST
    @Path("/apply")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> form) {
        if (!pages.user().researcher()) {
            return pages.forbidden("Applying needs the researcher role.");
        }
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        Map<String, Object> fields = fields(form, 1);
        try {
            Map<String, Object> created = services.createApplication(fields);
            return pages.redirect("/portal/applications/" + created.get("id") + "/step/2");
        } catch (PortalProblem problem) {
            return pages.status(problem.status(), form(null, echo(form), 1, problem, null));
        }
    }

    @GET
    @Path("/applications/{id}/step/{step}")
    public Response step(@PathParam("id") UUID id, @PathParam("step") int step) {
        if (step < 1 || step > STEPS.size()) {
            return pages.redirect("/portal/applications/" + id);
        }
        try {
            Map<String, Object> application = services.application(id.toString());
            return pages.ok(form(id.toString(), application, step, null, application));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }

    @POST
    @Path("/applications/{id}/step/{step}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveStep(
            @PathParam("id") UUID id, @PathParam("step") int step, MultivaluedMap<String, String> form) {
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        if (step < 1 || step > STEPS.size()) {
            return pages.redirect("/portal/applications/" + id);
        }
        try {
            Map<String, Object> fields = fields(form, step);
            Map<String, Object> saved = services.updateApplication(id.toString(), fields);
            if (step == 2 && saved.get("institutionalEmail") != null) {
                return proveEmail(id, saved);
            }
            return pages.redirect(
                    step < STEPS.size()
                            ? "/portal/applications/" + id + "/step/" + (step + 1)
                            : "/portal/applications/" + id);
        } catch (PortalProblem problem) {
            Map<String, Object> application = safeApplication(id);
            return pages.status(problem.status(), form(id.toString(), echo(form), step, problem, application));
        }
    }

    /** Submit, resubmit or withdraw. */
    @POST
    @Path("/applications/{id}/{action:submit|resubmit|withdraw}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(
            @PathParam("id") UUID id, @PathParam("action") String action, MultivaluedMap<String, String> form) {
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        try {
            services.act(id.toString(), action);
            return pages.redirect("/portal/applications/" + id);
        } catch (PortalProblem problem) {
            return status(id, problem);
        }
    }

    @GET
    @Path("/applications/{id}")
    public Response application(@PathParam("id") UUID id) {
        return status(id, null);
    }

    private Response status(UUID id, PortalProblem problem) {
        try {
            Map<String, Object> application = services.application(id.toString());
            return pages.status(
                    problem == null ? 200 : problem.status(),
                    pages.page("application", "Your application")
                            .data("app", application)
                            .data("editable", EDITABLE.contains(String.valueOf(application.get("state"))))
                            .data("next", nextStep(String.valueOf(application.get("state"))))
                            .data("error", problem));
        } catch (PortalProblem notFound) {
            return pages.problem(notFound);
        }
    }

    // ---- the institutional email code ----

    @POST
    @Path("/applications/{id}/email-code")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response sendCode(@PathParam("id") UUID id, MultivaluedMap<String, String> form) {
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        try {
            services.sendEmailCode(id.toString());
            return pages.redirect("/portal/applications/" + id + "/email");
        } catch (PortalProblem problem) {
            return email(id, problem);
        }
    }

    /** After the institution step: a code goes to a new address at once; a proven address goes on to step 3. */
    private Response proveEmail(UUID id, Map<String, Object> application) {
        Object address = application.get("institutionalEmail");
        Map<?, ?> proof = application.get("emailProof") instanceof Map<?, ?> p ? p : null;
        boolean sameAddress = proof != null && address.equals(proof.get("email"));
        if (sameAddress && "VERIFIED".equals(proof.get("state"))) {
            return pages.redirect("/portal/applications/" + id + "/step/3");
        }
        if (!sameAddress || !"PENDING".equals(proof.get("state"))) {
            try {
                services.sendEmailCode(id.toString());
            } catch (PortalProblem problem) {
                return email(id, problem);
            }
        }
        return pages.redirect("/portal/applications/" + id + "/email");
    }

    @GET
    @Path("/applications/{id}/email")
    public Response emailPage(@PathParam("id") UUID id) {
        return email(id, null);
    }

    @POST
    @Path("/applications/{id}/email-verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response verify(@PathParam("id") UUID id, MultivaluedMap<String, String> form) {
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        try {
            services.verifyEmailCode(id.toString(), form.getFirst("code"));
            return pages.redirect("/portal/applications/" + id + "/step/3");
        } catch (PortalProblem problem) {
            return email(id, problem);
        }
    }

    private Response email(UUID id, PortalProblem problem) {
        try {
            Map<String, Object> application = services.application(id.toString());
            return pages.status(
                    problem == null ? 200 : problem.status(),
                    pages.page("email", "Confirm your institutional email")
                            .data("app", application)
                            .data("error", problem));
        } catch (PortalProblem notFound) {
            return pages.problem(notFound);
        }
    }

    // ---- grants, keys, usage ----

    @GET
    @Path("/grants")
    public Response grants() {
        if (!pages.user().researcher()) {
            return pages.forbidden("Grants are shown to researchers.");
        }
        try {
            List<Map<String, Object>> grants = services.grants();
            Map<String, OutboxRepository.GrantBudget> budgets = new HashMap<>();
            for (OutboxRepository.GrantBudget budget :
                    usage.budgetsOf(pages.user().subject())) {
                budgets.put(budget.grantId().toString(), budget);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> grant : grants) {
                Map<String, Object> row = new LinkedHashMap<>(grant);
                OutboxRepository.GrantBudget budget = budgets.get(String.valueOf(grant.get("id")));
                row.put("budget", budget);
                rows.add(row);
            }
            return pages.ok(pages.page("grants", "Your grants").data("grants", rows));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        } catch (SQLException e) {
            return pages.problem(new PortalProblem(503, "unavailable", "Usage cannot be read now; try again."));
        }
    }

    @GET
    @Path("/keys")
    public Response keyList() {
        if (!pages.user().researcher()) {
            return pages.forbidden("API keys are for researchers.");
        }
        return pages.ok(keysPage(null, null));
    }

    @POST
    @Path("/keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createKey(MultivaluedMap<String, String> form) {
        if (!pages.user().researcher()) {
            return pages.forbidden("API keys are for researchers.");
        }
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        String grant = form.getFirst("grantId");
        try {
            KeyViews.IssuedKey issued = keys.issue(
                    pages.user().subject(),
                    new KeyViews.KeyRequest(
                            blankToNull(form.getFirst("name")),
                            grant == null || grant.isBlank() ? null : UUID.fromString(grant),
                            null));
            return pages.status(201, keysPage(issued, null));
        } catch (ProblemException e) {
            return pages.status(e.type().status(), keysPage(null, e.getMessage()));
        } catch (IllegalArgumentException e) {
            return pages.status(400, keysPage(null, "Choose one of your grants."));
        }
    }

    @POST
    @Path("/keys/{id}/{action:rotate|revoke}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeKey(
            @PathParam("id") UUID id, @PathParam("action") String action, MultivaluedMap<String, String> form) {
        if (!pages.user().researcher()) {
            return pages.forbidden("API keys are for researchers.");
        }
        Response refused = pages.csrfRefusal(form);
        if (refused != null) {
            return refused;
        }
        try {
            if (action.equals("rotate")) {
                return pages.ok(keysPage(keys.rotate(pages.user().subject(), id), null));
            }
            keys.revoke(pages.user().subject(), id);
            return pages.redirect("/portal/keys");
        } catch (ProblemException e) {
            return pages.status(e.type().status(), keysPage(null, e.getMessage()));
        }
    }

    private io.quarkus.qute.TemplateInstance keysPage(KeyViews.IssuedKey issued, String error) {
        List<Map<String, Object>> grants;
        try {
            grants = services.grants().stream()
                    .filter(g -> "ACTIVE".equals(g.get("status")))
                    .toList();
        } catch (PortalProblem problem) {
            grants = List.of();
        }
        return pages.page("keys", "API keys")
                .data("keys", keys.list(pages.user().subject()))
                .data("grants", grants)
                .data("issued", issued)
                .data("error", error)
                .data("baseUrl", config.portal().publicUrl());
    }

    @GET
    @Path("/usage")
    public Response usagePage(@QueryParam("days") Integer days) {
        if (!pages.user().researcher()) {
            return pages.forbidden("Usage is shown to researchers.");
        }
        int span = days == null || days < 1 || days > 366 ? 30 : days;
        try {
            List<OutboxRepository.DailyUsage> daily =
                    usage.dailyUsage(pages.user().subject(), Instant.now().minus(span, ChronoUnit.DAYS));
            return pages.ok(pages.page("usage", "Your usage")
                    .data("days", span)
                    .data("rows", daily)
                    .data("chart", UsageChart.svg(daily))
                    .data("legend", UsageChart.legend(daily)));
        } catch (SQLException e) {
            return pages.problem(new PortalProblem(503, "unavailable", "Usage cannot be read now; try again."));
        }
    }

    // ---- helpers ----

    private io.quarkus.qute.TemplateInstance form(
            String id, Map<String, Object> values, int step, PortalProblem problem, Map<String, Object> application) {
        String field = problem == null ? null : problem.field();
        Map<String, Object> shown = new HashMap<>(values);
        // Every field the form shows, so a new draft renders empty fields (templates render strictly).
        STEPS.forEach(names -> names.forEach(name -> shown.putIfAbsent(name, "")));
        shown.putIfAbsent("termsVersion", "");
        if (shown.get("requestedModels") instanceof List<?> models) {
            shown.put(
                    "requestedModels",
                    String.join(", ", models.stream().map(String::valueOf).toList()));
        }
        return pages.page("apply", "Apply for access")
                .data("id", id)
                .data("step", step)
                .data("values", shown)
                .data("app", application)
                .data("error", problem)
                .data("errorField", field == null ? "" : field)
                .data("termsVersion", config.portal().termsVersion());
    }

    private Map<String, Object> safeApplication(UUID id) {
        try {
            return services.application(id.toString());
        } catch (PortalProblem problem) {
            return null;
        }
    }

    /** The step's fields from the form, typed as kyc-service expects; empty ones are left out (unchanged). */
    private Map<String, Object> fields(MultivaluedMap<String, String> form, int step) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name : STEPS.get(step - 1)) {
            String value = form.getFirst(name);
            if (name.equals("termsAccepted")) {
                if (value != null) {
                    fields.put("termsAccepted", true);
                    fields.put("termsVersion", config.portal().termsVersion());
                }
                continue;
            }
            if (value == null || value.isBlank()) {
                continue;
            }
            switch (name) {
                case "requestedTier" -> {
                    try {
                        fields.put(name, Integer.parseInt(value.strip()));
                    } catch (NumberFormatException e) {
                        throw new PortalProblem(400, "invalid-request", "'requestedTier' must be 1, 2 or 3.");
                    }
                }
                case "requestedModels" ->
                    fields.put(
                            name,
                            Arrays.stream(value.split("[,\\s]+"))
                                    .filter(s -> !s.isBlank())
                                    .toList());
                default -> fields.put(name, value);
            }
        }
        return fields;
    }

    private static Map<String, Object> echo(MultivaluedMap<String, String> form) {
        Map<String, Object> values = new HashMap<>();
        form.forEach((name, list) -> values.put(name, list.isEmpty() ? "" : list.get(0)));
        return values;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String nextStep(String state) {
        return switch (state) {
            case "DRAFT" -> "Complete the three steps, confirm your institutional email, then submit.";
            case "IN_REVIEW" -> "A reviewer is looking at your application. You will see their decision here.";
            case "CHANGES_REQUESTED" -> "A reviewer asked for changes: read their reason, edit, then resubmit.";
            case "REJECTED" -> "Your application was rejected; you may edit it and resubmit.";
            case "APPROVED" -> "You are approved. Your grants and API keys are under Grants and Keys.";
            case "SUSPENDED" -> "Your access is suspended while a reviewer looks again.";
            case "EXPIRED" -> "Your approval expired; apply again to renew it.";
            default -> "This application is closed.";
        };
    }
}
