package org.vettedaccess.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/**
 * Issue 9's side-by-side run ({@code bench/run}): the simulated upstream called directly, through nginx (a plain
 * reverse proxy), through the Portkey open-source gateway, and through our gateway's whole pipeline (API key,
 * decision, Redis quota, durable outbox record, forward, settle). All on loopback, all driven by the same wrk with
 * the same body, the contestants taking turns within every round. Then many concurrent streams through the gateway,
 * with its heap and RSS, and optionally a JFR profile of the gateway under load. Prints markdown and writes it to
 * {@code --out}.
 */
public final class Comparison {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern WRK = Pattern.compile("BENCH requests=(\\d+) duration_us=(\\d+) p50=(\\d+) p99=(\\d+)"
            + " p999=(\\d+) mean=([\\d.]+) max=(\\d+) connect=(\\d+) read=(\\d+) write=(\\d+) status=(\\d+)"
            + " timeout=(\\d+)");
    private static final int[] CONCURRENCY = {1, 16, 64};
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    /** One contestant: where it listens, the headers it needs, and the processes whose CPU and memory it costs. */
    record Contestant(String name, String url, List<String> headers, Supplier<Set<Long>> processes) {}

    /** One timed wrk trial. Latencies in milliseconds. */
    record Trial(double rps, double p50, double p99, double p999, long errors, double cpuPer1k, double rssMb) {}

    private Comparison() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SuiteCalls.options(args);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "4"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int streams = Integer.parseInt(options.getOrDefault("streams", "5000"));
        // Long enough for the JVMs' C2 compiler to finish with the hot paths: on two busy cores it was still
        // compiling the gateway's HTTP and JDBC paths (0.1–0.7 s each) 40 s after start, so shorter warm-ups had
        // the first trials measure the compiler as much as the gateway.
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "30"));
        boolean profile = Boolean.parseBoolean(options.getOrDefault("profile", "false"));
        Path work = Path.of(options.getOrDefault("work", "bench/target/run")).toAbsolutePath();
        Path state =
                Path.of(options.getOrDefault("state", "bench/target/suite")).toAbsolutePath();
        Files.createDirectories(work);
        Path plainBody = Files.writeString(work.resolve("body.json"), GatewayBenchmark.BODY + "}");
        StringBuilder report = new StringBuilder();
        List<Process> peers = new ArrayList<>();
        try (LocalSuite suite = SuiteCalls.startSuite(options)) {
            String key = GatewayBenchmark.setUp(suite);
            int simPort = URI.create(suite.serviceUrl("upstream-sim")).getPort();
            String sim = "http://127.0.0.1:" + simPort;
            long simPid = pidOf(state, "upstream-sim");
            long gatewayPid = pidOf(state, "gateway");
            int nginxPort = SuitePorts.freePort();
            int portkeyPort = SuitePorts.freePort();
            Process nginx = startNginx(options.get("nginx"), work.resolve("nginx"), nginxPort, simPort);
            peers.add(nginx);
            Process portkey = startPortkey(options.get("node"), Path.of(options.get("portkey")), portkeyPort, work);
            peers.add(portkey);
            String path = "/v1/chat/completions";
            List<Contestant> contestants = List.of(
                    new Contestant("direct", sim + path, List.of(), () -> tree(simPid)),
                    new Contestant("nginx", "http://127.0.0.1:" + nginxPort + path, List.of(), () -> tree(nginx.pid())),
                    new Contestant(
                            "Portkey",
                            "http://127.0.0.1:" + portkeyPort + path,
                            List.of(
                                    "x-portkey-provider: openai",
                                    "x-portkey-custom-host: " + sim + "/v1",
                                    "Authorization: Bearer sk-simulated"),
                            () -> tree(portkey.pid())),
                    new Contestant(
                            "gateway",
                            suite.serviceUrl("gateway").replace("localhost", "127.0.0.1") + path,
                            List.of("Authorization: Bearer " + key),
                            () -> tree(gatewayPid)));
            Supplier<Set<Long>> gatewayAndDeps = () -> pipelineProcesses(state);
            for (Contestant c : contestants) {
                verify(c);
            }
            System.out.println("  every contestant answers 200 with the simulator's body, plain and streamed");
            for (Contestant c : contestants) { // warm up the JITs and the connection pools
                wrk(options.get("wrk"), c, plainBody, 16, warmup, c.processes().get());
                GatewayBenchmark.stream(streamRequest(c), 1);
            }
            Map<String, Map<Integer, List<Trial>>> plain = new LinkedHashMap<>();
            Map<Integer, List<Double>> gatewayAllCpu = new LinkedHashMap<>();
            Map<String, List<long[][]>> streamed = new LinkedHashMap<>();
            allCpuSource = gatewayAndDeps;
            for (int round = 0; round < rounds; round++) {
                List<Contestant> order = new ArrayList<>(contestants);
                java.util.Collections.rotate(order, -round); // nobody always goes first
                for (int clients : CONCURRENCY) {
                    for (Contestant c : order) {
                        Trial trial = wrk(
                                options.get("wrk"),
                                c,
                                plainBody,
                                clients,
                                seconds,
                                c.processes().get());
                        plain.computeIfAbsent(c.name(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(clients, k -> new ArrayList<>())
                                .add(trial);
                        if (c.name().equals("gateway")) {
                            gatewayAllCpu
                                    .computeIfAbsent(clients, k -> new ArrayList<>())
                                    .add(lastAllCpu);
                        }
                    }
                }
                for (Contestant c : order) {
                    streamed.computeIfAbsent(c.name(), k -> new ArrayList<>())
                            .add(GatewayBenchmark.stream(streamRequest(c), seconds));
                }
                System.out.printf("  round %d of %d done%n", round + 1, rounds);
            }
            report.append(plainTables(plain, gatewayAllCpu, rounds, seconds));
            report.append(streamTable(streamed));
            if (streams > 0) {
                report.append(manyStreams(suite, key, streams, state, simPort));
            }
            if (profile) {
                Map<Integer, String> peerPorts = new java.util.HashMap<>();
                peerPorts.put(suite.ports().postgres(), "PostgreSQL");
                peerPorts.put(suite.ports().redis(), "Redis");
                peerPorts.put(simPort, "upstream (simulator)");
                suite.ports().http().forEach((name, port) -> peerPorts.putIfAbsent(port, name));
                peerPorts.put(suite.ports().keycloak(), "Keycloak");
                Contestant gateway = contestants.get(3);
                report.append(Profile.record(gatewayPid, work, peerPorts, () -> {
                    Trial t = wrk(
                            options.get("wrk"),
                            gateway,
                            plainBody,
                            16,
                            8,
                            gateway.processes().get());
                    return String.format(Locale.ROOT, "%,.0f requests/s, p50 %.2f ms", t.rps(), t.p50());
                }));
            }
        } finally {
            for (Process process : peers) {
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
                process.destroyForcibly();
            }
        }
        System.out.println();
        System.out.println(report);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), report.toString());
        }
        System.exit(0); // the HTTP clients' threads must not keep the JVM (and bench/run) waiting
    }

    // The CPU of the gateway's whole suite (gateway, PostgreSQL, Redis, ledger, access-policy) in the last trial.
    private static Supplier<Set<Long>> allCpuSource = Set::of;
    private static double lastAllCpu;

    private static HttpRequest streamRequest(Contestant c) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(c.url()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GatewayBenchmark.BODY + ",\"stream\":true}"));
        for (String header : c.headers()) {
            String[] parts = header.split(":\\s*", 2);
            request.header(parts[0], parts[1]);
        }
        return request.build();
    }

    /** Each contestant must answer 200 with the simulator's answer, plain and streamed, before it is timed. */
    private static void verify(Contestant c) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(c.url()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GatewayBenchmark.BODY + "}"));
        for (String header : c.headers()) {
            String[] parts = header.split(":\\s*", 2);
            request.header(parts[0], parts[1]);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> plain = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> stream = HTTP.send(streamRequest(c), HttpResponse.BodyHandlers.ofString());
                if (plain.statusCode() == 200
                        && plain.body().contains("Simulated reply from sim-bench")
                        && stream.statusCode() == 200
                        && stream.body().contains("data: [DONE]")) {
                    return;
                }
                if (attempt >= 20) {
                    throw new IllegalStateException(c.name() + " answered " + plain.statusCode() + " " + plain.body()
                            + " / stream " + stream.statusCode() + " " + stream.body());
                }
            } catch (IOException e) {
                if (attempt >= 20) {
                    throw new IllegalStateException(c.name() + " cannot be reached at " + c.url() + ": " + e);
                }
            }
            Thread.sleep(500);
        }
    }

    /** One wrk trial with the shared script and body; CPU and RSS of the contestant's processes around it. */
    static Trial wrk(String wrk, Contestant c, Path body, int clients, int seconds, Set<Long> processes)
            throws Exception {
        Path script = Path.of("bench/wrk/post.lua").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(
                wrk,
                "-t" + Math.min(2, clients),
                "-c" + clients,
                "-d" + seconds + "s",
                "--timeout",
                "10s",
                "-s",
                script.toString(),
                c.url(),
                "--",
                body.toString()));
        command.addAll(c.headers());
        Set<Long> all = allCpuSource.get();
        long before = cpuTicks(processes);
        long beforeAll = cpuTicks(all);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        long after = cpuTicks(processes);
        long afterAll = cpuTicks(all);
        Matcher m = WRK.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no result for " + c.name() + ":\n" + output);
        }
        long requests = Long.parseLong(m.group(1));
        double duration = Long.parseLong(m.group(2)) / 1e6;
        long errors = 0;
        for (int g = 8; g <= 12; g++) {
            errors += Long.parseLong(m.group(g));
        }
        if (errors > requests / 100) {
            throw new IllegalStateException(
                    c.name() + " failed " + errors + " of " + requests + " requests at " + clients + " clients");
        }
        lastAllCpu = requests == 0 ? 0 : (afterAll - beforeAll) / (double) TICKS_PER_SECOND / requests * 1000;
        return new Trial(
                requests / duration,
                Long.parseLong(m.group(3)) / 1000.0,
                Long.parseLong(m.group(4)) / 1000.0,
                Long.parseLong(m.group(5)) / 1000.0,
                errors,
                requests == 0 ? 0 : (after - before) / (double) TICKS_PER_SECOND / requests * 1000,
                rssKb(processes) / 1024.0);
    }

    private static String plainTables(
            Map<String, Map<Integer, List<Trial>>> plain,
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
        for (int clients : CONCURRENCY) {
            out.append(String.format(Locale.ROOT, "%n**%d connection%s**%n%n", clients, clients == 1 ? "" : "s"));
            out.append("| contestant | requests/s | p50 ms | p99 ms | p99.9 ms | adds p50 / p99 ms | adds ÷ nginx's"
                    + " (p50 / p99) | req/s ÷ nginx | req/s ÷ Portkey | CPU s per 1k req | RSS MB |\n");
            out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            List<Trial> direct = plain.get("direct").get(clients);
            List<Trial> nginx = plain.get("nginx").get(clients);
            List<Trial> portkey = plain.get("Portkey").get(clients);
            for (String name : plain.keySet()) {
                List<Trial> mine = plain.get(name).get(clients);
                double addP50 = addedMedian(mine, direct, Trial::p50);
                double addP99 = addedMedian(mine, direct, Trial::p99);
                double nginxP50 = addedMedian(nginx, direct, Trial::p50);
                double nginxP99 = addedMedian(nginx, direct, Trial::p99);
                String cpu = String.format(Locale.ROOT, "%.3f", median(mine, Trial::cpuPer1k));
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
                        range(mine, Trial::rps, "%,.0f"),
                        range(mine, Trial::p50, "%.2f"),
                        range(mine, Trial::p99, "%.2f"),
                        String.format(Locale.ROOT, "%.2f", median(mine, Trial::p999)),
                        name.equals("direct") ? "—" : String.format(Locale.ROOT, "%+.2f / %+.2f", addP50, addP99),
                        name.equals("direct") || name.equals("nginx")
                                ? "—"
                                : ratio(addP50, nginxP50) + " / " + ratio(addP99, nginxP99),
                        name.equals("nginx")
                                ? "—"
                                : String.format(
                                        Locale.ROOT, "%.2f", median(mine, Trial::rps) / median(nginx, Trial::rps)),
                        name.equals("Portkey")
                                ? "—"
                                : String.format(
                                        Locale.ROOT, "%.1f", median(mine, Trial::rps) / median(portkey, Trial::rps)),
                        cpu,
                        median(mine, Trial::rssMb)));
            }
        }
        return out.toString();
    }

    /** What one contestant adds over what nginx adds; nothing when nginx's addition is lost in the noise. */
    private static String ratio(double added, double nginxAdded) {
        return nginxAdded <= 0.005 ? "n/a (nginx adds ≤ 0)" : String.format(Locale.ROOT, "%.1f×", added / nginxAdded);
    }

    /** The median over rounds of (this contestant's figure − the direct call's figure in the same round). */
    private static double addedMedian(
            List<Trial> mine, List<Trial> direct, java.util.function.ToDoubleFunction<Trial> figure) {
        double[] added = new double[mine.size()];
        for (int i = 0; i < mine.size(); i++) {
            added[i] = figure.applyAsDouble(mine.get(i)) - figure.applyAsDouble(direct.get(i));
        }
        return GatewayBenchmark.median(added);
    }

    private static double median(List<Trial> trials, java.util.function.ToDoubleFunction<Trial> figure) {
        return GatewayBenchmark.median(trials.stream().mapToDouble(figure).toArray());
    }

    private static String range(List<Trial> trials, java.util.function.ToDoubleFunction<Trial> figure, String format) {
        double[] values = trials.stream().mapToDouble(figure).toArray();
        return String.format(Locale.ROOT, format, GatewayBenchmark.median(values)) + " ["
                + String.format(Locale.ROOT, format, Arrays.stream(values).min().orElse(0)) + "–"
                + String.format(Locale.ROOT, format, Arrays.stream(values).max().orElse(0)) + "]";
    }

    private static String streamTable(Map<String, List<long[][]>> streamed) {
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

    private static double addedMedian(double[] mine, double[] direct) {
        double[] added = new double[mine.length];
        for (int i = 0; i < mine.length; i++) {
            added[i] = mine[i] - direct[i];
        }
        return GatewayBenchmark.median(added);
    }

    private static double[] quantiles(List<long[][]> rounds, int part, double quantile) {
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

    private static String range(double[] values) {
        return String.format(Locale.ROOT, "%.2f", GatewayBenchmark.median(values)) + " ["
                + String.format(Locale.ROOT, "%.2f", Arrays.stream(values).min().orElse(0)) + "–"
                + String.format(Locale.ROOT, "%.2f", Arrays.stream(values).max().orElse(0)) + "]";
    }

    /**
     * Many SSE streams held open at once through a gateway replica (its route's bulkhead raised above the stream
     * count; everything else as configured): the simulator drips one chunk every two seconds, so every stream lasts
     * about 40 s; when all are open, the gateway's heap (Micrometer, then again after a forced GC: the live set) and RSS.
     */
    private static String manyStreams(LocalSuite suite, String key, int count, Path state, int simPort)
            throws Exception {
        int port = SuitePorts.freePort();
        int management = SuitePorts.freePort();
        suite.startGatewayReplica(
                "gateway-streams",
                port,
                management,
                Map.of("JAVA_TOOL_OPTIONS", "-Dgateway.routes.sim.max-concurrent=" + (count + 1000)));
        long pid = pidOf(state, "gateway-streams");
        String url = "http://127.0.0.1:" + port + "/v1/chat/completions";
        String metrics = "http://127.0.0.1:" + management + "/q/metrics";
        String sim = "http://127.0.0.1:" + simPort;
        Contestant gateway = new Contestant("gateway", url, List.of("Authorization: Bearer " + key), () -> tree(pid));
        verify(gateway);
        HttpRequest request = streamRequest(gateway);
        post(sim + "/sim/faults", "{\"mode\":\"DRIP\",\"delayMs\":2000}");
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(java.util.concurrent.Executors.newFixedThreadPool(2))
                .build();
        ConcurrentLinkedQueue<Long> firstBytes = new ConcurrentLinkedQueue<>();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger open = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        long heapBefore = heapUsed(metrics);
        long started = System.nanoTime();
        try {
            // At most 64 streams waiting for their first chunk at a time: streams pile up as fast as the gateway
            // admits them, as they would behind a real client population, instead of queueing thousands at once.
            java.util.concurrent.Semaphore opening = new java.util.concurrent.Semaphore(64);
            for (int i = 0; i < count; i++) {
                opening.acquire();
                java.util.concurrent.atomic.AtomicBoolean waiting = new java.util.concurrent.atomic.AtomicBoolean(true);
                long start = System.nanoTime();
                client.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                            boolean first = true;

                            @Override
                            public void onSubscribe(Flow.Subscription subscription) {
                                subscription.request(Long.MAX_VALUE);
                            }

                            @Override
                            public void onNext(String line) {
                                if (first && line.startsWith("data:")) {
                                    first = false;
                                    if (waiting.compareAndSet(true, false)) {
                                        opening.release();
                                    }
                                    open.incrementAndGet();
                                    firstBytes.add(System.nanoTime() - start);
                                }
                            }

                            @Override
                            public void onError(Throwable throwable) {}

                            @Override
                            public void onComplete() {}
                        }))
                        .whenComplete((response, failure) -> {
                            if (waiting.compareAndSet(true, false)) {
                                opening.release();
                            }
                            if (failure == null && response.statusCode() == 200) {
                                completed.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                            done.countDown();
                        });
            }
            long openedIn = System.nanoTime() - started;
            // Wait until (nearly) every stream has its first chunk, then sample while all are still open.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (open.get() + failed.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String simStats = get(sim + "/sim/stats");
            int simOpen = Integer.parseInt(simStats.replaceAll(".*\"openStreams\":(\\d+).*", "$1"));
            long heapOpen = heapUsed(metrics);
            double rssOpen = rssKb(tree(pid)) / 1024.0;
            jcmd(pid, "GC.run");
            long heapLive = heapUsed(metrics);
            String heapMax = jcmd(pid, "VM.flags").replaceAll("(?s).*MaxHeapSize=(\\d+).*", "$1");
            done.await(90, TimeUnit.SECONDS);
            long[] first = firstBytes.stream().mapToLong(Long::longValue).toArray();
            Stats ttfb = Stats.of(first.length == 0 ? new long[] {0} : first);
            double heapMaxMb = Long.parseLong(heapMax.trim()) / 1048576.0;
            return String.format(
                    Locale.ROOT,
                    "%n### Many concurrent streams through the gateway%n%n"
                            + "%,d streams opened in %.1f s through a gateway replica (heap limit %.0f MB, the suite's"
                            + " -Xmx), at most 64 waiting for their first chunk at a time, the simulator dripping one chunk every 2 s"
                            + " (about 40 s per stream).%n%n"
                            + "| measure | result |%n|---|---|%n"
                            + "| streams open at the sample (client saw a first chunk / simulator's open streams) |"
                            + " %,d / %,d |%n"
                            + "| streams completed 200 / failed | %,d / %,d |%n"
                            + "| gateway heap used: idle / all streams open / live after a forced GC | %.0f / %.0f /"
                            + " %.0f MB |%n"
                            + "| gateway RSS with all streams open | %.0f MB |%n"
                            + "| time to first chunk while they pile up (p50 / p99) | %.1f / %.1f ms |%n",
                    count,
                    openedIn / 1e9,
                    heapMaxMb,
                    open.get(),
                    simOpen,
                    completed.get(),
                    failed.get(),
                    heapBefore / 1048576.0,
                    heapOpen / 1048576.0,
                    heapLive / 1048576.0,
                    rssOpen,
                    ttfb.p50() / 1000,
                    ttfb.p99() / 1000);
        } finally {
            post(sim + "/sim/faults", "{\"mode\":\"NONE\"}");
            suite.stop("gateway-streams");
        }
    }

    // --- the peers ---

    private static Process startNginx(String nginx, Path prefix, int port, int simPort) throws IOException {
        Files.createDirectories(prefix.resolve("logs"));
        // Two workers for two cores (nginx's "auto"): the gateway's Vert.x event loops also use every core.
        String config = """
                worker_processes 2;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 16384; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/client_body;
                  proxy_temp_path %1$s/proxy;
                  upstream simulator { server 127.0.0.1:%3$d; keepalive 256; }
                  server {
                    listen 127.0.0.1:%2$d;
                    client_body_buffer_size 1m;
                    location / {
                      proxy_pass http://simulator;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_buffering off;
                    }
                  }
                }
                """.formatted(prefix, port, simPort);
        Path file = Files.writeString(prefix.resolve("nginx.conf"), config);
        return new ProcessBuilder(nginx, "-p", prefix.toString(), "-c", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("logs/nginx.out").toFile())
                .start();
    }

    private static Process startPortkey(String node, Path directory, int port, Path work) throws IOException {
        return new ProcessBuilder(
                        node, "node_modules/@portkey-ai/gateway/build/start-server.js", "--port=" + port, "--headless")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("portkey.log").toFile())
                .start();
    }

    // --- processes: pids, CPU, memory ---

    private static long pidOf(Path state, String name) throws IOException {
        return Long.parseLong(
                Files.readString(state.resolve("pids/" + name + ".pid")).trim().split("\\s+")[0]);
    }

    /** A process and its descendants (nginx's workers, PostgreSQL's backends). */
    static Set<Long> tree(long pid) {
        Set<Long> pids = new LinkedHashSet<>();
        ProcessHandle.of(pid).ifPresent(p -> {
            pids.add(p.pid());
            p.descendants().forEach(d -> pids.add(d.pid()));
        });
        return pids;
    }

    /** The gateway and what its pipeline uses: PostgreSQL (with its backends), Redis, usage-ledger, access-policy. */
    private static Set<Long> pipelineProcesses(Path state) {
        Set<Long> pids = new LinkedHashSet<>();
        for (String name : List.of("gateway", "usage-ledger", "access-policy", "redis", "postgres")) {
            try {
                pids.addAll(tree(pidOf(state, name)));
            } catch (IOException | RuntimeException e) {
                // not recorded under that name
            }
        }
        // The embedded PostgreSQL's server runs from its data directory inside the state directory.
        String data = state.resolve("data").toString();
        ProcessHandle.allProcesses().forEach(p -> {
            if (p.pid() != ProcessHandle.current().pid()
                    && p.info().commandLine().orElse("").contains(data)) {
                pids.addAll(tree(p.pid()));
            }
        });
        return pids;
    }

    private static long cpuTicks(Set<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            } catch (IOException | RuntimeException e) {
                // the process ended
            }
        }
        return ticks;
    }

    private static long rssKb(Set<Long> pids) {
        long kb = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kb += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended
            }
        }
        return kb;
    }

    private static long heapUsed(String metrics) throws Exception {
        long sum = 0;
        for (String line : get(metrics).split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    static String jcmd(long pid, String... command) throws Exception {
        List<String> args = new ArrayList<>();
        args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        args.add(Long.toString(pid));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return output;
    }

    private static String get(String url) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static void post(String url, String json) throws Exception {
        HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
