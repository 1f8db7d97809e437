package org.vettedaccess.gateway.portal;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.vettedaccess.gateway.usage.OutboxRepository;

/**
 * Usage: the researcher's grants with their token budgets, tokens per day and model, their recent calls, and the
 * check of one call's receipt against the signed log.
 */
@Path("/portal")
@Produces(MediaType.TEXT_HTML)
public class UsagePages {

    private static final int RECENT_CALLS = 20;

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance grants(List<GrantRow> grants);

        static native TemplateInstance usage(
                int days,
                List<OutboxRepository.DailyUsage> rows,
                String chart,
                List<UsageChart.Legend> legend,
                List<OutboxRepository.RecentCall> calls);

        static native TemplateInstance receipt(ReceiptCheck.Result result, String command);
    }

    /** A grant and its token budget, if it has one and has been used. */
    public record GrantRow(GrantView grant, OutboxRepository.GrantBudget budget) {}

    private final Pages pages;
    private final PortalClients services;
    private final Views views;
    private final OutboxRepository usage;
    private final ReceiptCheck receipts;

    public UsagePages(Pages pages, PortalClients services, Views views, OutboxRepository usage, ReceiptCheck receipts) {
        this.pages = pages;
        this.services = services;
        this.views = views;
        this.usage = usage;
        this.receipts = receipts;
    }

    @GET
    @Path("/grants")
    public Response grants() {
        if (!pages.user().researcher()) {
            return pages.forbidden("Grants are shown to researchers.");
        }
        try {
            Map<UUID, OutboxRepository.GrantBudget> budgets = new HashMap<>();
            for (OutboxRepository.GrantBudget budget :
                    usage.budgetsOf(pages.user().subject())) {
                budgets.put(budget.grantId(), budget);
            }
            List<GrantRow> rows = views.list(services.grants(), GrantView.class).stream()
                    .map(grant -> new GrantRow(grant, budgets.get(grant.id())))
                    .toList();
            return pages.ok(pages.render(Templates.grants(rows), "Your grants"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        } catch (SQLException e) {
            return unavailable();
        }
    }

    @GET
    @Path("/usage")
    public Response usagePage(@QueryParam("days") Integer days) {
        if (!pages.user().researcher()) {
            return pages.forbidden("Usage is shown to researchers.");
        }
        int span = days == null || days < 1 || days > 366 ? 30 : days;
        try {
            String subject = pages.user().subject();
            List<OutboxRepository.DailyUsage> daily =
                    usage.dailyUsage(subject, Instant.now().minus(span, ChronoUnit.DAYS));
            return pages.ok(pages.render(
                    Templates.usage(
                            span,
                            daily,
                            UsageChart.svg(daily),
                            UsageChart.legend(daily),
                            usage.recentCalls(subject, RECENT_CALLS)),
                    "Your usage"));
        } catch (SQLException e) {
            return unavailable();
        }
    }

    /**
     * Checks one of the researcher's own calls, by its {@code x-request-id}, against the signed log. Another
     * researcher's call is "not yours" before anything is read from the ledger (which refuses its leaf as well).
     */
    @GET
    @Path("/usage/receipt")
    public Response receipt(@QueryParam("requestId") String requestId) {
        if (!pages.user().researcher()) {
            return pages.forbidden("Receipts are checked by the researcher who made the call.");
        }
        UUID id;
        try {
            id = UUID.fromString(requestId == null ? "" : requestId.strip());
        } catch (IllegalArgumentException e) {
            return pages.problem(new PortalProblem(
                    400, "invalid-request", "'requestId' must be the x-request-id a call was answered with."));
        }
        try {
            Optional<OutboxRepository.CallReceipt> receipt =
                    usage.receipt(id, pages.user().subject());
            if (receipt.isEmpty()) {
                return pages.problem(new PortalProblem(404, "not-found", "You made no call " + id + "."));
            }
            ReceiptCheck.Result result = receipts.check(receipt.get());
            String command = "java -jar ledger-verifier-cli.jar receipt " + id
                    + " --gateway <gateway> --ledger <ledger> --token <your token> --vkey <the ledger's key>"
                    + " [--prompt <request body file> --salt <x-va-prompt-salt>]";
            return pages.ok(pages.render(Templates.receipt(result, command), "Receipt " + id));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        } catch (SQLException e) {
            return unavailable();
        }
    }

    private Response unavailable() {
        return pages.problem(new PortalProblem(503, "unavailable", "Usage cannot be read now; try again."));
    }
}
