package org.vettedaccess.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
    static final int[] CONCURRENCY = {1, 16, 64};
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
            long simPid = Peers.pidOf(state, "upstream-sim");
            long gatewayPid = Peers.pidOf(state, "gateway");
            int nginxPort = SuitePorts.freePort();
            int portkeyPort = SuitePorts.freePort();
            Process nginx = Peers.startNginx(options.get("nginx"), work.resolve("nginx"), nginxPort, simPort);
            peers.add(nginx);
            Process portkey =
                    Peers.startPortkey(options.get("node"), Path.of(options.get("portkey")), portkeyPort, work);
            peers.add(portkey);
            String path = "/v1/chat/completions";
            List<Contestant> contestants = List.of(
                    new Contestant("direct", sim + path, List.of(), () -> Peers.tree(simPid)),
                    new Contestant(
                            "nginx", "http://127.0.0.1:" + nginxPort + path, List.of(), () -> Peers.tree(nginx.pid())),
                    new Contestant(
                            "Portkey",
                            "http://127.0.0.1:" + portkeyPort + path,
                            List.of(
                                    "x-portkey-provider: openai",
                                    "x-portkey-custom-host: " + sim + "/v1",
                                    "Authorization: Bearer sk-simulated"),
                            () -> Peers.tree(portkey.pid())),
                    new Contestant(
                            "gateway",
                            suite.serviceUrl("gateway").replace("localhost", "127.0.0.1") + path,
                            List.of("Authorization: Bearer " + key),
                            () -> Peers.tree(gatewayPid)));
            Supplier<Set<Long>> gatewayAndDeps = () -> Peers.pipelineProcesses(state);
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
            report.append(ComparisonTables.plainTables(plain, gatewayAllCpu, rounds, seconds));
            report.append(ComparisonTables.streamTable(streamed));
            if (streams > 0) {
                report.append(ManyStreams.run(suite, key, streams, state, simPort));
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

    static HttpRequest streamRequest(Contestant c) {
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
    static void verify(Contestant c) throws Exception {
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
        long before = Peers.cpuTicks(processes);
        long beforeAll = Peers.cpuTicks(all);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        long after = Peers.cpuTicks(processes);
        long afterAll = Peers.cpuTicks(all);
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
                Peers.rssKb(processes) / 1024.0);
    }
}
