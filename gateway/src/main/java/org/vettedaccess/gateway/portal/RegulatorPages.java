package org.vettedaccess.gateway.portal;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.gateway.usage.OutboxRepository;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.Proofs;

/**
 * The regulator's pages: the latest checkpoint, verified here with ledger-core (its signature against the
 * published key, and its consistency with the oldest checkpoint); a pseudonymous search of the ledger; an
 * inclusion check of any entry against that checkpoint; the export bundle with the offline verifier's command;
 * and usage per model and tier over time. The ledger authorises the regulator itself; the portal only reads.
 */
@Path("/portal/regulator")
@Produces(MediaType.TEXT_HTML)
public class RegulatorPages {

    @CheckedTemplate(basePath = "portal", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance regulator(CheckpointChecks.CheckpointStatus status);
    }

    private static final int CHART_PAGES = 20;
    private static final int PAGE = 500;

    private final Pages pages;
    private final PortalClients services;
    private final CheckpointChecks checks;

    public RegulatorPages(Pages pages, PortalClients services, CheckpointChecks checks) {
        this.pages = pages;
        this.services = services;
        this.checks = checks;
    }

    /** One entry and whether its inclusion in the checked checkpoint holds. */
    public record InclusionCheck(boolean leafHashMatches, boolean included, long treeSize, int proofLength) {}

    @GET
    public Response overview() {
        if (!pages.user().regulator()) {
            return pages.forbidden("The ledger's regulator view is for regulators.");
        }
        try {
            return pages.ok(pages.render(Templates.regulator(checks.latest()), "Ledger"));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }

    @GET
    @Path("/entries")
    public Response search(
            @QueryParam("type") String type,
            @QueryParam("model") String model,
            @QueryParam("subject") String subject,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("after") Long after) {
        if (!pages.user().regulator()) {
            return pages.forbidden("The ledger's regulator view is for regulators.");
        }
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("type", blank(type));
        query.put("model", blank(model));
        query.put("subject", blank(subject));
        query.put("from", blank(from));
        query.put("to", blank(to));
        try {
            Map<String, Object> page = services.entries(
                    nullIfBlank(type), nullIfBlank(model), nullIfBlank(subject), instant(from), instant(to), after, 50);
            return pages.ok(pages.page("regulator-entries", "Search the ledger")
                    .data("query", query)
                    .data("entries", page.get("entries"))
                    .data("next", page.get("next")));
        } catch (PortalProblem problem) {
            return pages.status(
                    problem.status(),
                    pages.page("regulator-entries", "Search the ledger")
                            .data("query", query)
                            .data("entries", List.of())
                            .data("next", null)
                            .data("error", problem));
        }
    }

    @GET
    @Path("/entries/{index}")
    public Response entry(@PathParam("index") long index) {
        if (!pages.user().regulator()) {
            return pages.forbidden("The ledger's regulator view is for regulators.");
        }
        try {
            CheckpointChecks.CheckpointStatus status = checks.latest();
            Map<String, Object> entry = services.entry(index);
            InclusionCheck check = null;
            if (index < status.size()) {
                byte[] leafHash = Base64.getDecoder().decode(String.valueOf(entry.get("leafHash")));
                byte[] leaf = Base64.getDecoder().decode(String.valueOf(entry.get("leaf")));
                Map<String, Object> proof = services.inclusion(index, status.size());
                List<byte[]> hashes = CheckpointChecks.hashes(proof.get("hashes"));
                check = new InclusionCheck(
                        java.util.Arrays.equals(Hashes.leaf(leaf), leafHash),
                        status.signatureValid()
                                && Proofs.verifyInclusion(
                                        index,
                                        status.size(),
                                        leafHash,
                                        hashes,
                                        Base64.getDecoder().decode(status.root())),
                        status.size(),
                        hashes.size());
            }
            return pages.ok(pages.page("regulator-entry", "Ledger entry " + index)
                    .data("entry", entry)
                    .data("status", status)
                    .data("check", check));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }

    /** The export bundle as a download, streamed from the ledger. */
    @GET
    @Path("/export")
    @Produces(MediaType.APPLICATION_JSON)
    public Response export() {
        if (!pages.user().regulator()) {
            return pages.forbidden("The export is for regulators.");
        }
        try {
            return Response.ok(services.export(), MediaType.APPLICATION_JSON_TYPE)
                    .header("Content-Disposition", "attachment; filename=\"ledger-export.json\"")
                    .header("Cache-Control", "no-store")
                    .build();
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }

    @GET
    @Path("/charts")
    public Response charts(@QueryParam("days") Integer days) {
        if (!pages.user().regulator()) {
            return pages.forbidden("The ledger's regulator view is for regulators.");
        }
        int span = days == null || days < 1 || days > 366 ? 30 : days;
        try {
            Map<String, Integer> tierOfGrantLeaf = new HashMap<>();
            Map<String, long[]> byModel = new LinkedHashMap<>();
            Map<String, long[]> byTier = new LinkedHashMap<>();
            Long after = null;
            int read = 0;
            for (int page = 0; page < CHART_PAGES; page++) {
                Map<String, Object> result = services.entries(
                        "usage",
                        null,
                        null,
                        Instant.now().minus(span, ChronoUnit.DAYS).toString(),
                        null,
                        after,
                        PAGE);
                List<?> entries = (List<?>) result.get("entries");
                for (Object item : entries) {
                    Map<?, ?> view = (Map<?, ?>) item;
                    Map<?, ?> usage = (Map<?, ?>) view.get("entry");
                    String day = String.valueOf(view.get("loggedAt")).substring(0, 10);
                    long tokens = number(usage.get("inputTokens")) + number(usage.get("outputTokens"));
                    add(byModel, day + "|" + usage.get("model"), tokens);
                    String grantLeaf = String.valueOf(usage.get("grantLeaf"));
                    Integer tier = tierOfGrantLeaf.computeIfAbsent(grantLeaf, leaf -> tierOf(leaf));
                    add(byTier, day + "|tier " + (tier == null ? "?" : tier), tokens);
                    read++;
                }
                Object next = result.get("next");
                if (next == null) {
                    break;
                }
                after = ((Number) next).longValue();
            }
            List<OutboxRepository.DailyUsage> models = rows(byModel);
            List<OutboxRepository.DailyUsage> tiers = rows(byTier);
            return pages.ok(pages.page("regulator-charts", "Usage over time")
                    .data("days", span)
                    .data("read", read)
                    .data("modelChart", UsageChart.svg(models))
                    .data("modelLegend", UsageChart.legend(models))
                    .data("tierChart", UsageChart.svg(tiers))
                    .data("tierLegend", UsageChart.legend(tiers))
                    .data("rows", models));
        } catch (PortalProblem problem) {
            return pages.problem(problem);
        }
    }

    // ---- checking ----

    private Integer tierOf(String grantLeaf) {
        try {
            Map<?, ?> grant =
                    (Map<?, ?>) services.entry(Long.parseLong(grantLeaf)).get("entry");
            return grant.get("tier") instanceof Number tier ? tier.intValue() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void add(Map<String, long[]> totals, String key, long tokens) {
        long[] total = totals.computeIfAbsent(key, k -> new long[2]);
        total[0] += tokens;
        total[1]++;
    }

    private static List<OutboxRepository.DailyUsage> rows(Map<String, long[]> totals) {
        List<OutboxRepository.DailyUsage> rows = new ArrayList<>();
        totals.forEach((key, total) -> {
            String[] parts = key.split("\\|", 2);
            rows.add(new OutboxRepository.DailyUsage(parts[0], parts[1], total[0], 0, total[1]));
        });
        rows.sort(java.util.Comparator.comparing(OutboxRepository.DailyUsage::day)
                .thenComparing(OutboxRepository.DailyUsage::model));
        return rows;
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static String blank(String value) {
        return value == null ? "" : value;
    }

    private static String nullIfBlank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A date (YYYY-MM-DD, the start of that day in UTC) or an instant, as the ledger takes it. */
    private static String instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        return text.length() == 10 ? text + "T00:00:00Z" : text;
    }
}
