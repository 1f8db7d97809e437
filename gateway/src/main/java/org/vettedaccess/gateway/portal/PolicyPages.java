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
import java.util.List;
import java.util.UUID;
import org.vettedaccess.contracts.policy.ModelRecord;

/**
 * The policy admin's pages: the kill switch (shown first, with its state), the model catalog with risk classes,
 * the tiers, and catalog and tier changes waiting for a second admin (grants are {@link GrantPages}).
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

    private Response guard(MultivaluedMap<String, String> form) {
        return pages.adminFormRefusal(form, "Policy administration is for policy admins.");
    }
}
