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

        static native TemplateInstance regulatorEntries(
                LedgerView.EntryQuery query, LedgerView.EntryPage page, PortalProblem error);

        static native TemplateInstance regulatorEntry(
                LedgerView.Entry entry, CheckpointChecks.CheckpointStatus status, InclusionCheck check);

        static native TemplateInstance regulatorCharts(
                int days,
                int read,
                String modelChart,
                List<UsageChart.Legend> modelLegend,
                String tierChart,
                List<UsageChart.Legend> tierLegend,
                List<OutboxRepository.DailyUsage> rows);
    }

    private static final int CHART_PAGES = 20;
    private static final int PAGE = 500;

    private final Pages pages;
    private final PortalClients services;
    private final CheckpointChecks checks;
    private final Views views;

    public RegulatorPages(Pages pages, PortalClients services, CheckpointChecks checks, Views views) {
        this.pages = pages;
        this.views = views;
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
        LedgerView.EntryQuery query =
                new LedgerView.EntryQuery(blank(type), blank(model), blank(subject), blank(from), blank(to));
        try {
            LedgerView.EntryPage page = views.as(
                    services.entries(
                            nullIfBlank(type),
                            nullIfBlank(model),
                            nullIfBlank(subject),
                            instant(from),
                            instant(to),
                            after,
                            50),
                    LedgerView.EntryPage.class);
            return pages.ok(pages.render(Templates.regulatorEntries(query, page, null), "Search the ledger"));
        } catch (PortalProblem problem) {
            return pages.status(
                    problem.status(),
                    pages.render(
                            Templates.regulatorEntries(query, new LedgerView.EntryPage(List.of(), null), problem),
                            "Search the ledger"));
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
            LedgerView.Entry entry = views.as(services.entry(index), LedgerView.Entry.class);
            InclusionCheck check = null;
            if (index < status.size()) {
                byte[] leafHash = Base64.getDecoder().decode(String.valueOf(entry.leafHash()));
                byte[] leaf = Base64.getDecoder().decode(String.valueOf(entry.leaf()));
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
            return pages.ok(pages.render(Templates.regulatorEntry(entry, status, check), "Ledger entry " + index));
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
                LedgerView.EntryPage result = views.as(
                        services.entries(
                                "usage",
                                null,
                                null,
                                Instant.now().minus(span, ChronoUnit.DAYS).toString(),
                                null,
                                after,
                                PAGE),
                        LedgerView.EntryPage.class);
                for (LedgerView.Entry view : result.entries()) {
                    Map<String, Object> usage = view.entry();
                    String day = view.loggedAt().toString().substring(0, 10);
                    long tokens = number(usage.get("inputTokens")) + number(usage.get("outputTokens"));
                    add(byModel, day + "|" + usage.get("model"), tokens);
                    String grantLeaf = String.valueOf(usage.get("grantLeaf"));
                    Integer tier = tierOfGrantLeaf.computeIfAbsent(grantLeaf, leaf -> tierOf(leaf));
                    add(byTier, day + "|tier " + (tier == null ? "?" : tier), tokens);
                    read++;
                }
                if (result.next() == null) {
                    break;
                }
                after = result.next();
            }
            List<OutboxRepository.DailyUsage> models = rows(byModel);
            List<OutboxRepository.DailyUsage> tiers = rows(byTier);
            return pages.ok(pages.render(
                    Templates.regulatorCharts(
                            span,
                            read,
                            UsageChart.svg(models),
                            UsageChart.legend(models),
                            UsageChart.svg(tiers),
                            UsageChart.legend(tiers),
                            models),
                    "Usage over time"));
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
