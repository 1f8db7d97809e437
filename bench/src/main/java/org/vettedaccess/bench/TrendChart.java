package org.vettedaccess.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The headline figures of every {@code bench/run} report in {@code bench/results} over time, drawn as one SVG
 * (issue 25): the gateway's and Portkey's requests/s and p99 at 16 connections, access-policy's decisions/s, and
 * the ledger's batched durable appends/s. A file that is no {@code bench/run} report (no {@code # bench/run of}
 * heading with a 16-connection table: the single benchmarks' files) is skipped and named; a run without the
 * ledger's or access-policy's section leaves a gap in those lines.
 *
 * <p>JDK only, so that {@code bench/run --chart-only} runs it from source without a build:
 * {@code java bench/src/main/java/org/vettedaccess/bench/TrendChart.java --results bench/results --out
 * docs/benchmarks-trend.svg}.
 */
public final class TrendChart {

    /** A headline figure, with the name its line has in the chart. */
    enum Figure {
        GATEWAY_RPS("gateway", "requests/s at 16 connections", "#1f77b4"),
        PORTKEY_RPS("Portkey", "requests/s at 16 connections", "#ff7f0e"),
        GATEWAY_P99("gateway", "p99 ms at 16 connections", "#1f77b4"),
        PORTKEY_P99("Portkey", "p99 ms at 16 connections", "#ff7f0e"),
        DECISIONS_1("1 client", "decisions/s", "#98c379"),
        DECISIONS_16("16 clients", "decisions/s", "#2ca02c"),
        LEDGER_APPENDS("batched, 16 clients x 100", "appends/s", "#9467bd");

        final String label;
        final String what;
        final String colour;

        Figure(String label, String what, String colour) {
            this.label = label;
            this.what = what;
            this.colour = colour;
        }
    }

    /**
     * One report: its file, when it ran (UTC), the figures it has and the machine's load average (1 minute) before
     * it began (NaN if it does not say).
     */
    record Run(String file, LocalDateTime at, Map<Figure, Double> figures, double loadBefore) {}

    private record Panel(String title, List<Figure> figures) {}

    private static final List<Panel> PANELS = List.of(
            new Panel(
                    "Plain chat completions at 16 connections: requests/s (median of the rounds)",
                    List.of(Figure.GATEWAY_RPS, Figure.PORTKEY_RPS)),
            new Panel(
                    "p99 at 16 connections, ms (median of the rounds; lower is better)",
                    List.of(Figure.GATEWAY_P99, Figure.PORTKEY_P99)),
            new Panel(
                    "access-policy: decisions/s through HTTP (bench/policy.sh)",
                    List.of(Figure.DECISIONS_16, Figure.DECISIONS_1)),
            new Panel("usage-ledger: durable appends/s (bench/ledger.sh)", List.of(Figure.LEDGER_APPENDS)));

    private static final Pattern HEADING = Pattern.compile("^# bench/run of (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}) UTC");
    private static final Pattern DECISIONS_ONE = Pattern.compile("(?m)^\\s*1 client:\\s+([\\d,]+) decisions/s");
    private static final Pattern DECISIONS_SIXTEEN = Pattern.compile("(?m)^\\s*16 clients:\\s+([\\d,]+) decisions/s");
    private static final Pattern APPENDS =
            Pattern.compile("(?m)^\\s*batched\\s+16 clients x 100 entries/request:\\s+([\\d,]+) appends/s");
    private static final Pattern LOAD = Pattern.compile("load average before / after: ([\\d.]+)");
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("MM-dd HH:mm");

    private static final int WIDTH = 960;
    private static final int LEFT = 70;
    private static final int RIGHT = 190;
    private static final int PANEL_HEIGHT = 170;
    private static final int PANEL_GAP = 50;
    private static final int TOP = 50;

    private TrendChart() {}

    public static void main(String[] args) throws IOException {
        Path results = Path.of(option(args, "--results", "bench/results"));
        Path out = Path.of(option(args, "--out", "docs/benchmarks-trend.svg"));
        List<Run> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(results)) {
            for (Path file : files.sorted().toList()) {
                if (!file.toString().endsWith(".md")) {
                    System.out.println("chart: skipped " + file.getFileName() + " (not a .md report)");
                    continue;
                }
                Optional<Run> run = parse(file.getFileName().toString(), Files.readString(file));
                if (run.isPresent()) {
                    runs.add(run.get());
                    List<Figure> missing = Stream.of(Figure.values())
                            .filter(f -> !run.get().figures().containsKey(f))
                            .toList();
                    System.out.println("chart: " + file.getFileName()
                            + (missing.isEmpty() ? "" : " (without " + missing + ": not in that run)"));
                } else {
                    System.out.println("chart: skipped " + file.getFileName() + " (no bench/run report)");
                }
            }
        }
        runs.sort(Comparator.comparing(Run::at));
        Files.writeString(out, svg(runs));
        System.out.println("chart: " + runs.size() + " runs drawn in " + out);
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** The run a results file reports, if it is a {@code bench/run} report with the 16-connection table. */
    static Optional<Run> parse(String file, String text) {
        Matcher heading = HEADING.matcher(text.lines().findFirst().orElse(""));
        if (!heading.find()) {
            return Optional.empty();
        }
        Map<Figure, Double> figures = new EnumMap<>(Figure.class);
        List<String> table = section(text, "**16 connections**", "**");
        for (String line : table) {
            String[] cells = line.split("\\|");
            if (cells.length < 5) {
                continue;
            }
            String contestant = cells[1].strip();
            if (contestant.equals("gateway")) {
                figures.put(Figure.GATEWAY_RPS, median(cells[2]));
                figures.put(Figure.GATEWAY_P99, median(cells[4]));
            } else if (contestant.equals("Portkey")) {
                figures.put(Figure.PORTKEY_RPS, median(cells[2]));
                figures.put(Figure.PORTKEY_P99, median(cells[4]));
            }
        }
        if (!figures.containsKey(Figure.GATEWAY_RPS)) {
            return Optional.empty();
        }
        String policy = String.join("\n", section(text, "### access-policy", "### "));
        find(DECISIONS_ONE, policy).ifPresent(v -> figures.put(Figure.DECISIONS_1, v));
        find(DECISIONS_SIXTEEN, policy).ifPresent(v -> figures.put(Figure.DECISIONS_16, v));
        String ledger = String.join("\n", section(text, "### usage-ledger", "### "));
        find(APPENDS, ledger).ifPresent(v -> figures.put(Figure.LEDGER_APPENDS, v));
        Matcher load = LOAD.matcher(text);
        double loadBefore = load.find() ? Double.parseDouble(load.group(1)) : Double.NaN;
        return Optional.of(new Run(file, LocalDateTime.parse(heading.group(1), AT), figures, loadBefore));
    }

    /** The lines after the one starting with {@code start}, up to the next one starting with {@code end}. */
    private static List<String> section(String text, String start, String end) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : text.lines().toList()) {
            if (inside && line.startsWith(end)) {
                break;
            }
            if (inside) {
                lines.add(line);
            } else if (line.startsWith(start)) {
                inside = true;
            }
        }
        return lines;
    }

    /** {@code 1,589 [969–1,969]}: the median before the range. */
    private static double median(String cell) {
        return Double.parseDouble(cell.strip().split(" ")[0].replace(",", ""));
    }

    private static Optional<Double> find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1).replace(",", ""))) : Optional.empty();
    }

    /** The runs as small multiples, one panel per headline, the runs in order and evenly spaced. */
    static String svg(List<Run> runs) {
        int height = TOP + PANELS.size() * (PANEL_HEIGHT + PANEL_GAP) + 80;
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                height,
                WIDTH,
                height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, LEFT, 24, 16, "start", "bench/run over time: the headline figures of each run in bench/results");
        double plotWidth = WIDTH - LEFT - RIGHT;
        for (int p = 0; p < PANELS.size(); p++) {
            Panel panel = PANELS.get(p);
            int top = TOP + p * (PANEL_HEIGHT + PANEL_GAP) + 20;
            text(svg, LEFT, top - 8, 13, "start", panel.title());
            double max = runs.stream()
                    .flatMap(r -> panel.figures().stream().map(f -> r.figures().get(f)))
                    .filter(v -> v != null)
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElse(1);
            double step = niceStep(max / 4);
            double ceiling = Math.ceil(max / step) * step;
            for (double tick = 0; tick <= ceiling + step / 2; tick += step) {
                double y = top + PANEL_HEIGHT - tick / ceiling * PANEL_HEIGHT;
                svg.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                        LEFT,
                        y,
                        LEFT + plotWidth,
                        y));
                text(svg, LEFT - 6, y + 4, 11, "end", String.format(Locale.ROOT, "%,.0f", tick));
            }
            for (int i = 0; i < runs.size(); i++) {
                double x = x(i, runs.size(), plotWidth);
                svg.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#f0f0f0\"/>%n",
                        x,
                        top,
                        x,
                        top + PANEL_HEIGHT));
            }
            for (int f = 0; f < panel.figures().size(); f++) {
                Figure figure = panel.figures().get(f);
                line(svg, runs, figure, top, ceiling, plotWidth);
                double legendY = top + 14 + f * 18;
                svg.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                        LEFT + plotWidth + 14,
                        legendY - 4,
                        LEFT + plotWidth + 34,
                        legendY - 4,
                        figure.colour));
                text(svg, LEFT + plotWidth + 40, legendY, 11, "start", figure.label);
            }
            if (p == PANELS.size() - 1) {
                for (int i = 0; i < runs.size(); i++) {
                    double x = x(i, runs.size(), plotWidth);
                    double y = top + PANEL_HEIGHT + 14;
                    svg.append(String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\""
                                    + " transform=\"rotate(-35 %.1f %.1f)\">%s</text>%n",
                            x,
                            y,
                            x,
                            y,
                            escape(label(runs.get(i)))));
                }
            }
        }
        text(
                svg,
                LEFT,
                height - 10,
                10,
                "start",
                "Each column is one bench/run report (UTC, with the load average before it), in the order they ran,"
                        + " evenly spaced; a gap: that run skipped the benchmark. One shared 2-core machine.");
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void line(StringBuilder svg, List<Run> runs, Figure figure, int top, double ceiling, double width) {
        List<String> segment = new ArrayList<>();
        for (int i = 0; i <= runs.size(); i++) {
            Double value = i < runs.size() ? runs.get(i).figures().get(figure) : null;
            if (value == null) {
                if (segment.size() > 1) {
                    svg.append(String.format(
                            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                            figure.colour, String.join(" ", segment)));
                }
                segment.clear();
                continue;
            }
            double x = x(i, runs.size(), width);
            double y = top + PANEL_HEIGHT - value / ceiling * PANEL_HEIGHT;
            segment.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            svg.append(String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s</title></circle>%n",
                    x,
                    y,
                    figure.colour,
                    escape(String.format(
                            Locale.ROOT,
                            "%s %s: %,.2f (%s)",
                            figure.label,
                            figure.what,
                            value,
                            runs.get(i).file()))));
        }
    }

    private static String label(Run run) {
        String at = run.at().format(LABEL);
        return Double.isNaN(run.loadBefore()) ? at : at + String.format(Locale.ROOT, ", load %.1f", run.loadBefore());
    }

    private static double x(int index, int count, double width) {
        return LEFT + (count == 1 ? width / 2 : 10 + index * (width - 20) / (count - 1));
    }

    /** 1, 2 or 5 times a power of ten, the least at or above {@code raw}. */
    static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static void text(StringBuilder svg, double x, double y, int size, String anchor, String content) {
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\">%s</text>%n",
                x,
                y,
                size,
                anchor,
                escape(content)));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
