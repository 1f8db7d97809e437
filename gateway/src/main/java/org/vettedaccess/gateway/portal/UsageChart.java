package org.vettedaccess.gateway.portal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vettedaccess.gateway.usage.OutboxRepository;

/** Tokens per day per model as a stacked bar chart (server-rendered SVG, with a table beside it for screen readers). */
final class UsageChart {

    private static final String[] COLOURS = {"#1f5fa8", "#b3591d", "#2f7d3b", "#7a3fa0", "#8a6d00", "#a8324a"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 220;
    private static final int MARGIN = 30;

    private UsageChart() {}

    /** One model's colour in the legend. */
    public record Legend(String model, String colour) {}

    static String svg(List<OutboxRepository.DailyUsage> usage) {
        Map<String, Map<String, Long>> byDay = new TreeMap<>();
        TreeSet<String> models = new TreeSet<>();
        for (OutboxRepository.DailyUsage row : usage) {
            byDay.computeIfAbsent(row.day(), d -> new LinkedHashMap<>())
                    .merge(row.model(), row.inputTokens() + row.outputTokens(), Long::sum);
            models.add(row.model());
        }
        long max = byDay.values().stream()
                .mapToLong(m -> m.values().stream().mapToLong(Long::longValue).sum())
                .max()
                .orElse(1);
        List<String> modelList = new ArrayList<>(models);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg role=\"img\" aria-labelledby=\"usage-title\" viewBox=\"0 0 %d %d\" width=\"100%%\">"
                        + "<title id=\"usage-title\">Tokens per day per model</title>",
                WIDTH,
                HEIGHT + MARGIN));
        int days = Math.max(1, byDay.size());
        double slot = (WIDTH - MARGIN) / (double) days;
        int i = 0;
        for (Map.Entry<String, Map<String, Long>> day : byDay.entrySet()) {
            double x = MARGIN + i * slot + slot * 0.1;
            double y = HEIGHT;
            for (Map.Entry<String, Long> model : day.getValue().entrySet()) {
                double h = (HEIGHT - 10) * model.getValue() / (double) max;
                y -= h;
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                                + "<title>%s %s: %d tokens</title></rect>",
                        x,
                        y,
                        slot * 0.8,
                        h,
                        COLOURS[modelList.indexOf(model.getKey()) % COLOURS.length],
                        escape(day.getKey()),
                        escape(model.getKey()),
                        model.getValue()));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>",
                    x,
                    HEIGHT + 18,
                    escape(day.getKey().substring(5))));
            i++;
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"12\" font-size=\"11\">%d</text></svg>", max));
        return svg.toString();
    }

    static List<Legend> legend(List<OutboxRepository.DailyUsage> usage) {
        List<String> models = new ArrayList<>(new TreeSet<>(
                usage.stream().map(OutboxRepository.DailyUsage::model).toList()));
        List<Legend> legend = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            legend.add(new Legend(models.get(i), COLOURS[i % COLOURS.length]));
        }
        return legend;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
