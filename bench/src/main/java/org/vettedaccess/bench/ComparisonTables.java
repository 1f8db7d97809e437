package org.vettedaccess.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The comparison's markdown tables: plain calls per concurrency, streams, and the figures behind them. */
final class ComparisonTables {

    private ComparisonTables() {}

    static String plainTables(
            Map<String, Map<Integer, List<Comparison.Trial>>> plain,
            Map<Integer, List<Double>> gatewayAllCpu,
            int rounds,
            int seconds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "### Plain chat completions (wrk, %d rounds of %d s per contestant and concurrency, contestants"
                        + " alternating; median [min–max] of the rounds)%n",
                rounds,
                seconds));
        for (int clients : Comparison.CONCURRENCY) {
            out.append(String.format(Locale.ROOT, "%n**%d connection%s**%n%n", clients, clients == 1 ? "" : "s"));
            out.append("| contestant | requests/s | p50 ms | p99 ms | p99.9 ms | adds p50 / p99 ms | adds ÷ nginx's"
                    + " (p50 / p99) | req/s ÷ nginx | req/s ÷ Portkey | CPU s per 1k req | RSS MB |\n");
            out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            List<Comparison.Trial> direct = plain.get("direct").get(clients);
            List<Comparison.Trial> nginx = plain.get("nginx").get(clients);
            List<Comparison.Trial> portkey = plain.get("Portkey").get(clients);
            for (String name : plain.keySet()) {
                List<Comparison.Trial> mine = plain.get(name).get(clients);
                double addP50 = addedMedian(mine, direct, Comparison.Trial::p50);
                double addP99 = addedMedian(mine, direct, Comparison.Trial::p99);
                double nginxP50 = addedMedian(nginx, direct, Comparison.Trial::p50);
                double nginxP99 = addedMedian(nginx, direct, Comparison.Trial::p99);
                String cpu = String.format(Locale.ROOT, "%.3f", median(mine, Comparison.Trial::cpuPer1k));
                if (name.equals("gateway")) {
                    cpu += String.format(
                            Locale.ROOT,
                            " (%.3f with PostgreSQL, Redis, ledger, access-policy)",
                            GatewayBenchmark.median(gatewayAllCpu.get(clients).stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray()));
                }
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f |%n",
                        name,
                        range(mine, Comparison.Trial::rps, "%,.0f"),
                        range(mine, Comparison.Trial::p50, "%.2f"),
                        range(mine, Comparison.Trial::p99, "%.2f"),
                        String.format(Locale.ROOT, "%.2f", median(mine, Comparison.Trial::p999)),
                        name.equals("direct") ? "—" : String.format(Locale.ROOT, "%+.2f / %+.2f", addP50, addP99),
                        name.equals("direct") || name.equals("nginx")
                                ? "—"
                                : ratio(addP50, nginxP50) + " / " + ratio(addP99, nginxP99),
                        name.equals("nginx")
                                ? "—"
                                : String.format(
                                        Locale.ROOT,
                                        "%.2f",
                                        median(mine, Comparison.Trial::rps) / median(nginx, Comparison.Trial::rps)),
                        name.equals("Portkey")
                                ? "—"
                                : String.format(
                                        Locale.ROOT,
                                        "%.1f",
                                        median(mine, Comparison.Trial::rps) / median(portkey, Comparison.Trial::rps)),
                        cpu,
                        median(mine, Comparison.Trial::rssMb)));
            }
        }
        return out.toString();
    }

    /** What one contestant adds over what nginx adds; nothing when nginx's addition is lost in the noise. */
    static String ratio(double added, double nginxAdded) {
        return nginxAdded <= 0.005 ? "n/a (nginx adds ≤ 0)" : String.format(Locale.ROOT, "%.1f×", added / nginxAdded);
    }

    /** The median over rounds of (this contestant's figure − the direct call's figure in the same round). */
    static double addedMedian(
            List<Comparison.Trial> mine,
            List<Comparison.Trial> direct,
            java.util.function.ToDoubleFunction<Comparison.Trial> figure) {
        double[] added = new double[mine.size()];
        for (int i = 0; i < mine.size(); i++) {
            added[i] = figure.applyAsDouble(mine.get(i)) - figure.applyAsDouble(direct.get(i));
        }
        return GatewayBenchmark.median(added);
    }

    static double median(List<Comparison.Trial> trials, java.util.function.ToDoubleFunction<Comparison.Trial> figure) {
        return GatewayBenchmark.median(trials.stream().mapToDouble(figure).toArray());
    }

    static String range(
            List<Comparison.Trial> trials,
            java.util.function.ToDoubleFunction<Comparison.Trial> figure,
            String format) {
        double[] values = trials.stream().mapToDouble(figure).toArray();
        return String.format(Locale.ROOT, format, GatewayBenchmark.median(values)) + " ["
                + String.format(Locale.ROOT, format, Arrays.stream(values).min().orElse(0)) + "–"
                + String.format(Locale.ROOT, format, Arrays.stream(values).max().orElse(0)) + "]";
    }

    static String streamTable(Map<String, List<long[][]>> streamed) {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "%n### Streaming, one client (JDK HttpClient, the same for every contestant; median [min–max] of"
                        + " the rounds' quantiles, ms)%n%n"));
        out.append("| contestant | first byte p50 | first byte p99 | last byte p50 | last byte p99 | adds to first byte"
                + " p50 | adds to last byte p50 |\n|---|---|---|---|---|---|---|\n");
        double[] directFirst = quantiles(streamed.get("direct"), 0, 0.50);
        double[] directLast = quantiles(streamed.get("direct"), 1, 0.50);
        for (Map.Entry<String, List<long[][]>> e : streamed.entrySet()) {
            double[] firstP50 = quantiles(e.getValue(), 0, 0.50);
            double[] lastP50 = quantiles(e.getValue(), 1, 0.50);
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s |%n",
                    e.getKey(),
                    range(firstP50),
                    range(quantiles(e.getValue(), 0, 0.99)),
                    range(lastP50),
                    range(quantiles(e.getValue(), 1, 0.99)),
                    e.getKey().equals("direct")
                            ? "—"
                            : String.format(Locale.ROOT, "%+.2f", addedMedian(firstP50, directFirst)),
                    e.getKey().equals("direct")
                            ? "—"
                            : String.format(Locale.ROOT, "%+.2f", addedMedian(lastP50, directLast))));
        }
        return out.toString();
    }

    static double addedMedian(double[] mine, double[] direct) {
        double[] added = new double[mine.length];
        for (int i = 0; i < mine.length; i++) {
            added[i] = mine[i] - direct[i];
        }
        return GatewayBenchmark.median(added);
    }

    static double[] quantiles(List<long[][]> rounds, int part, double quantile) {
        return rounds.stream()
                .mapToDouble(samples -> {
                    long[] sorted = samples[part].clone();
                    Arrays.sort(sorted);
                    return sorted.length == 0
                            ? Double.NaN
                            : sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
                })
                .toArray();
    }

    static String range(double[] values) {
        return String.format(Locale.ROOT, "%.2f", GatewayBenchmark.median(values)) + " ["
                + String.format(Locale.ROOT, "%.2f", Arrays.stream(values).min().orElse(0)) + "–"
                + String.format(Locale.ROOT, "%.2f", Arrays.stream(values).max().orElse(0)) + "]";
    }
}
