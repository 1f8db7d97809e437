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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vettedaccess.gateway.config.GatewayConfig;

/**
 * Applications: the home page with the researcher's applications, the three-step form saved as a draft, the
 * institutional email code, and the application's state with submit, resubmit and withdraw. Each page maps HTTP
 * only; kyc-service, called with the user's token, decides.
 */
@Path("/portal")
@Produces(MediaType.TEXT_HTML)
public class ApplicationPages {

    private static final Set<String> EDITABLE = Set.of("DRAFT", "CHANGES_REQUESTED", "REJECTED");

    /** The pages' templates, checked against these parameters when the gateway is built. */
    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance home(List<ApplicationView> applications);

        static native TemplateInstance apply(
                String id,
                int step,
                ApplicationForm.Values values,
                ApplicationView app,
                PortalProblem error,
                String errorField,
                String termsVersion,
                List<ApplicationForm.CatalogModel> models);

        static native TemplateInstance application(
                ApplicationView app, boolean editable, String next, PortalProblem error, List<HandoffView> handoffs);

        static native TemplateInstance email(ApplicationView app, PortalProblem error);
    }

    private final Pages pages;
    private final PortalClients services;
    private final Views views;
    private final GatewayConfig config;

    public ApplicationPages(Pages pages, PortalClients services, Views views, GatewayConfig config) {
        this.pages = pages;
        this.services = services;
        this.views = views;
        this.config = config;
    }

    @GET
    public Response home() {
        List<ApplicationView> applications = List.of();
        if (pages.user().researcher()) {
            try {
                applications = views.list(services.applications(), ApplicationView.class);
            } catch (PortalProblem problem) {
                return pages.problem(problem);
            }
        }
        return pages.ok(pages.render(Templates.home(applications), "Home"));
    }

    // ---- the form ----

    /** {@code orcid}: the iD an ORCID link just proved (OrcidLinkPages), only a prefill: kyc-service judges it. */
    @GET
    @Path("/apply")
    public Response apply(@QueryParam("orcid") String linkedOrcid) {
        if (!pages.user().researcher()) {
            return pages.forbidden("Applying needs the researcher role.");
        }
        return pages.ok(
                form(null, ApplicationForm.Values.prefilled(pages.profile().withOrcid(linkedOrcid)), 1, null, null));
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
        try {
            Map<String, Object> created = services.createApplication(
                    ApplicationForm.fields(form, 1, config.portal().termsVersion()));
            return pages.redirect("/portal/applications/" + created.get("id") + "/step/2");
        } catch (PortalProblem problem) {
            return pages.status(problem.status(), form(null, ApplicationForm.echo(form), 1, problem, null));
        }
    }

    @GET
    @Path("/applications/{id}/step/{step}")
    public Response step(@PathParam("id") UUID id, @PathParam("step") int step) {
        if (step < 1 || step > ApplicationForm.STEPS.size()) {
            return pages.redirect("/portal/applications/" + id);
        }
        try {
            Map<String, Object> application = services.application(id.toString());
            return pages.ok(form(
                    id.toString(),
                    ApplicationForm.Values.of(application),
                    step,
                    null,
                    views.as(application, ApplicationView.class)));
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
        if (step < 1 || step > ApplicationForm.STEPS.size()) {
            return pages.redirect("/portal/applications/" + id);
        }
        try {
            Map<String, Object> saved = services.updateApplication(
                    id.toString(),
                    ApplicationForm.fields(form, step, config.portal().termsVersion(), catalog(step)));
            if (step == 2 && saved.get("institutionalEmail") != null) {
                return proveEmail(id, views.as(saved, ApplicationView.class));
            }
            return pages.redirect(
                    step < ApplicationForm.STEPS.size()
                            ? "/portal/applications/" + id + "/step/" + (step + 1)
                            : "/portal/applications/" + id);
        } catch (PortalProblem problem) {
            return pages.status(
                    problem.status(),
                    form(id.toString(), ApplicationForm.echo(form), step, problem, safeApplication(id)));
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
            ApplicationView application = views.as(services.application(id.toString()), ApplicationView.class);
            return pages.status(
                    problem == null ? 200 : problem.status(),
                    pages.render(
                            Templates.application(
                                    application,
                                    EDITABLE.contains(application.state()),
                                    ApplicationForm.nextStep(application.state()),
                                    problem,
                                    "APPROVED".equals(application.state()) ? myHandoffs() : List.of()),
                            "Your application"));
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
    private Response proveEmail(UUID id, ApplicationView application) {
        ApplicationView.EmailProof proof = application.emailProof();
        boolean sameAddress = proof != null && application.institutionalEmail().equals(proof.email());
        if (sameAddress && "VERIFIED".equals(proof.state())) {
            return pages.redirect("/portal/applications/" + id + "/step/3");
        }
        if (!sameAddress || !"PENDING".equals(proof.state())) {
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
            ApplicationView application = views.as(services.application(id.toString()), ApplicationView.class);
            return pages.status(
                    problem == null ? 200 : problem.status(),
                    pages.render(Templates.email(application, problem), "Confirm your institutional email"));
        } catch (PortalProblem notFound) {
            return pages.problem(notFound);
        }
    }

    // ---- helpers ----

    private TemplateInstance form(
            String id, ApplicationForm.Values values, int step, PortalProblem problem, ApplicationView application) {
        String field = problem == null ? null : problem.field();
        return pages.render(
                Templates.apply(
                        id,
                        step,
                        values,
                        application,
                        problem,
                        field == null ? "" : field,
                        config.portal().termsVersion(),
                        shownCatalog(step)),
                "Apply for access");
    }

    /** The models step 3 offers; if the catalog cannot be read, none (the page says so rather than failing). */
    private List<ApplicationForm.CatalogModel> shownCatalog(int step) {
        try {
            return catalog(step).stream()
                    .filter(ApplicationForm.CatalogModel::offered)
                    .toList();
        } catch (PortalProblem unavailable) {
            return List.of();
        }
    }

    /** access-policy's catalog for step 3 (the models to pick from), read as the researcher; none for the others. */
    private List<ApplicationForm.CatalogModel> catalog(int step) {
        return step == 3
                ? services.models().stream()
                        .map(ApplicationForm.CatalogModel::of)
                        .toList()
                : List.of();
    }

    /**
     * The researcher's own grant hand-offs (access-policy answers with the caller's alone); a page without them
     * rather than a failed page if access-policy cannot be read.
     */
    private List<HandoffView> myHandoffs() {
        try {
            return views.list(services.myHandoffs(), HandoffView.class);
        } catch (PortalProblem unavailable) {
            return List.of();
        }
    }

    private ApplicationView safeApplication(UUID id) {
        try {
            return views.as(services.application(id.toString()), ApplicationView.class);
        } catch (PortalProblem problem) {
            return null;
        }
    }
}
