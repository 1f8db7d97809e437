package org.vettedaccess.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.vettedaccess.suite.LocalSuite;

/**
 * What the gateway adds to a model call: the same requests sent straight to the simulated upstream and through
 * the gateway's whole pipeline (API key, decision, Redis quota, outbox record, forward, settle), alternating, in
 * one run. Plain at 1 and 16 clients, and streaming (time to first and last byte). {@code bench/gateway.sh}
 */
public final class GatewayBenchmark {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Streams get their own client, so a streamed connection is never reused for a plain call. */
    private static final HttpClient STREAMS =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Calls that failed at the transport level (the JDK client's connection pool), counted, not hidden. */
    private static final java.util.concurrent.atomic.AtomicLong TRANSPORT_ERRORS =
            new java.util.concurrent.atomic.AtomicLong();

    static final String MODEL = "sim-bench";
    /** The request body every benchmark sends, without its closing brace (streams add {@code "stream":true}). */
    static final String BODY = "{\"model\":\"" + MODEL + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"A benchmark prompt of about a dozen words, the same for every call.\"}]";

    private GatewayBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SuiteCalls.options(args);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        java.nio.file.Path state = java.nio.file.Path.of(options.getOrDefault("state", "bench/target/suite"));
        System.out.println("load average before: " + loadAverage());
        try (LocalSuite suite = SuiteCalls.startSuite(options)) {
            String key = setUp(suite);
            String direct = suite.serviceUrl("upstream-sim") + "/v1/chat/completions";
            String gateway = suite.serviceUrl("gateway") + "/v1/chat/completions";
            Map<String, HttpRequest> plain =
                    Map.of("direct", request(direct, null, BODY + "}"), "gateway", request(gateway, key, BODY + "}"));
            Map<String, HttpRequest> stream = Map.of(
                    "direct", request(direct, null, BODY + ",\"stream\":true}"),
                    "gateway", request(gateway, key, BODY + ",\"stream\":true}"));
            for (String who : List.of("direct", "gateway")) {
                // Warm up both paths until the JIT has compiled them (a few seconds measured the compiler too).
                run(plain.get(who), 16, Integer.parseInt(options.getOrDefault("warmup", "10")));
                stream(stream.get(who), 2);
            }
            Map<String, List<long[]>> one = new HashMap<>();
            Map<String, List<long[]>> sixteen = new HashMap<>();
            Map<String, List<long[][]>> streamed = new HashMap<>();
            Map<String, List<Double>> rps = new HashMap<>();
            // CPU of the one process that serves each path (the simulator for direct, the gateway JVM alone for
            // the gateway), from /proc/<pid>/stat around each trial: milliseconds of CPU per call.
            Map<String, Long> pids =
                    Map.of("direct", Peers.pidOf(state, "upstream-sim"), "gateway", Peers.pidOf(state, "gateway"));
            Map<String, List<Double>> cpuOne = new HashMap<>();
            Map<String, List<Double>> cpuSixteen = new HashMap<>();
            // The gateway with what it needs per call (PostgreSQL, Redis, the ledger, access-policy), at 16 clients.
            List<Double> pipelineSixteen = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (String who : List.of("direct", "gateway")) {
                    long ticks = cpuTicks(pids.get(who));
                    long[] single = run(plain.get(who), 1, seconds);
                    cpuOne.computeIfAbsent(who, k -> new ArrayList<>())
                            .add(cpuMillisPerCall(cpuTicks(pids.get(who)) - ticks, single.length));
                    one.computeIfAbsent(who, k -> new ArrayList<>()).add(single);
                    ticks = cpuTicks(pids.get(who));
                    java.util.Set<Long> pipeline = Peers.pipelineProcesses(state);
                    long pipelineTicks = Peers.cpuTicks(pipeline);
                    long[] many = run(plain.get(who), 16, seconds);
                    cpuSixteen
                            .computeIfAbsent(who, k -> new ArrayList<>())
                            .add(cpuMillisPerCall(cpuTicks(pids.get(who)) - ticks, many.length));
                    if (who.equals("gateway")) {
                        pipelineSixteen.add(cpuMillisPerCall(Peers.cpuTicks(pipeline) - pipelineTicks, many.length));
                    }
                    sixteen.computeIfAbsent(who, k -> new ArrayList<>()).add(many);
                    rps.computeIfAbsent(who, k -> new ArrayList<>()).add(many.length / (double) seconds);
                    streamed.computeIfAbsent(who, k -> new ArrayList<>()).add(stream(stream.get(who), seconds));
                }
                System.out.printf("  round %d of %d done%n", round, rounds);
            }
            String jfr = options.get("jfr");
            if (jfr != null) {
                // After the measured rounds, so the recording does not slow them: 16 clients through the gateway
                // (--jfr-clients 1 profiles the latency case instead).
                int jfrClients = Integer.parseInt(options.getOrDefault("jfr-clients", "16"));
                long gatewayPid = pids.get("gateway");
                // The profile's 10 ms sampling gives a few hundred samples per trial; --jfr-period 1ms many more.
                jcmd(
                        gatewayPid,
                        "JFR.start",
                        "name=bench",
                        "settings=profile",
                        "jdk.ExecutionSample#period=" + options.getOrDefault("jfr-period", "1ms"),
                        "filename=" + jfr);
                long ticks = cpuTicks(gatewayPid);
                long[] profiled = run(plain.get("gateway"), jfrClients, seconds * 2);
                double cpu = cpuMillisPerCall(cpuTicks(gatewayPid) - ticks, profiled.length);
                jcmd(gatewayPid, "JFR.stop", "name=bench");
                System.out.printf(
                        "profiled trial (JFR %s): %,d calls in %d s, %.3f ms CPU per call%n",
                        jfr, profiled.length, seconds * 2, cpu);
            }
            report(one, sixteen, rps, streamed, rounds, seconds);
            for (String who : List.of("direct", "gateway")) {
                System.out.printf(
                        "| CPU ms per call, %s process, 1 client / 16 clients | %s / %s | | |%n",
                        who,
                        range(
                                cpuOne.get(who).stream()
                                        .mapToDouble(Double::doubleValue)
                                        .toArray(),
                                "%.3f"),
                        range(
                                cpuSixteen.get(who).stream()
                                        .mapToDouble(Double::doubleValue)
                                        .toArray(),
                                "%.3f"));
            }
            System.out.printf(
                    "| CPU ms per call, gateway with PostgreSQL, Redis, ledger, access-policy, 16 clients | %s | | |%n",
                    range(
                            pipelineSixteen.stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray(),
                            "%.3f"));
            System.out.printf("transport errors: %d%n", TRANSPORT_ERRORS.get());
        }
        System.out.println("load average after: " + loadAverage());
    }

    static void jcmd(long pid, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/jcmd", Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor();
    }

    /** utime + stime of one process, in clock ticks (USER_HZ, 100 per second on Linux); 0 once it has ended. */
    private static long cpuTicks(long pid) {
        return Peers.cpuTicks(java.util.Set.of(pid));
    }

    private static double cpuMillisPerCall(long ticks, int calls) {
        return calls == 0 ? 0 : ticks * 10.0 / calls;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** A model, a KYC approval, a grant and an API key for alice; tier 1 raised so quotas do not cap the run. */
    static String setUp(LocalSuite suite) throws Exception {
        String realm = suite.realmUrl() + "/protocol/openid-connect/token";
        String admin = token(realm, "grant_type=password&client_id=cli&username=paula&password=paula-demo");
        String alice = token(realm, "grant_type=password&client_id=cli&username=alice&password=alice-demo");
        String kyc = token(
                realm, "grant_type=client_credentials&client_id=kyc-service&client_secret=kyc-service-demo-secret");
        String subject = new String(
                        java.util.Base64.getUrlDecoder().decode(alice.split("\\.")[1]), StandardCharsets.UTF_8)
                .replaceAll(".*\"sub\":\"([^\"]+)\".*", "$1");
        String policy = suite.serviceUrl("access-policy");
        SuiteCalls.policyChange(
                policy,
                "/api/v1/tiers/1",
                realm,
                "{\"minAssurance\":1,\"reviewers\":0,\"purposeRequired\":false,"
                        + "\"rpm\":100000000,\"inputTpm\":1000000000,\"outputTpm\":1000000000,\"tokenBudget\":null,"
                        + "\"maxTokens\":4096,\"endpoints\":[\"/v1/chat/completions\",\"/v1/completions\",\"/v1/embeddings\"],"
                        + "\"maxGrantDays\":365}");
        SuiteCalls.policyChange(
                policy, "/api/v1/models/" + MODEL, realm, "{\"upstreamRoute\":\"sim\",\"trainingFlop\":1e22}");
        String leaf = send(
                        suite.serviceUrl("usage-ledger") + "/api/v1/entries",
                        "POST",
                        kyc,
                        "{\"entries\":[{\"idempotencyKey\":\"bench-kyc\",\"type\":\"kyc.decision\",\"entry\":{"
                                + "\"applicationId\":\"bench\",\"subject\":\"" + subject
                                + "\",\"outcome\":\"APPROVED\","
                                + "\"tier\":1,\"assuranceLevel\":2,\"reviewers\":[],\"decidedAt\":\""
                                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"reasonCode\":\"bench\"}}]}")
                .replaceAll(".*\"index\":(\\d+).*", "$1");
        send(
                policy + "/api/v1/kyc-outcomes",
                "POST",
                kyc,
                "{\"subject\":\"" + subject + "\",\"assuranceLevel\":2," + "\"approvedTier\":1,\"kycLeaf\":" + leaf
                        + ",\"status\":\"APPROVED\"}");
        send(
                policy + "/api/v1/grants",
                "POST",
                admin,
                "{\"subject\":\"" + subject + "\",\"models\":[\"" + MODEL
                        + "\"],\"tier\":1,\"purpose\":\"benchmark\",\"validUntil\":\""
                        + Instant.now().plus(30, ChronoUnit.DAYS) + "\"}");
        return send(suite.serviceUrl("gateway") + "/api/v1/keys", "POST", alice, "{\"name\":\"bench\"}")
                .replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
    }

    private static void report(
            Map<String, List<long[]>> one,
            Map<String, List<long[]>> sixteen,
            Map<String, List<Double>> rps,
            Map<String, List<long[][]>> streamed,
            int rounds,
            int seconds) {
        System.out.printf(
                "%n%d rounds of %d s per measure, direct and gateway alternating; median of the rounds"
                        + " [min–max]%n%n",
                rounds, seconds);
        System.out.println("| measure | direct to the simulated upstream | through the gateway | gateway adds |");
        System.out.println("|---|---|---|---|");
        for (String quantile : List.of("p50", "p99")) {
            double q = quantile.equals("p50") ? 0.50 : 0.99;
            row(
                    "plain, 1 client, " + quantile,
                    percentiles(one.get("direct"), q),
                    percentiles(one.get("gateway"), q),
                    "ms");
        }
        for (String quantile : List.of("p50", "p99")) {
            double q = quantile.equals("p50") ? 0.50 : 0.99;
            row(
                    "plain, 16 clients, " + quantile,
                    percentiles(sixteen.get("direct"), q),
                    percentiles(sixteen.get("gateway"), q),
                    "ms");
        }
        double[] directRps =
                rps.get("direct").stream().mapToDouble(Double::doubleValue).toArray();
        double[] gatewayRps =
                rps.get("gateway").stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf(
                "| plain, 16 clients, requests/s | %s | %s | ratio %.2f |%n",
                range(directRps, "%,.0f"), range(gatewayRps, "%,.0f"), median(gatewayRps) / median(directRps));
        for (int part = 0; part < 2; part++) {
            String what = part == 0 ? "time to first byte" : "time to last byte";
            for (String quantile : List.of("p50", "p99")) {
                double q = quantile.equals("p50") ? 0.50 : 0.99;
                int index = part;
                row(
                        "stream, 1 client, " + what + ", " + quantile,
                        percentiles(
                                streamed.get("direct").stream()
                                        .map(s -> s[index])
                                        .toList(),
                                q),
                        percentiles(
                                streamed.get("gateway").stream()
                                        .map(s -> s[index])
                                        .toList(),
                                q),
                        "ms");
            }
        }
    }

    private static void row(String measure, double[] direct, double[] gateway, String unit) {
        System.out.printf(
                "| %s | %s %s | %s %s | %+.2f %s |%n",
                measure,
                range(direct, "%.2f"),
                unit,
                range(gateway, "%.2f"),
                unit,
                median(gateway) - median(direct),
                unit);
    }

    /** The quantile of each round, in milliseconds. */
    private static double[] percentiles(List<long[]> rounds, double quantile) {
        return rounds.stream()
                .mapToDouble(nanos -> {
                    long[] sorted = nanos.clone();
                    Arrays.sort(sorted);
                    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
                })
                .toArray();
    }

    private static String range(double[] values, String format) {
        return String.format(format, median(values)) + " ["
                + String.format(format, Arrays.stream(values).min().orElse(0)) + "–"
                + String.format(format, Arrays.stream(values).max().orElse(0)) + "]";
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static HttpRequest request(String url, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return request.build();
    }

    /** Plain calls from {@code clients} threads for the given seconds; the latency of each, in nanoseconds. */
    private static long[] run(HttpRequest request, int clients, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                while (System.nanoTime() < deadline) {
                    long start = System.nanoTime();
                    HttpResponse<byte[]> response;
                    try {
                        response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    } catch (java.io.IOException e) {
                        TRANSPORT_ERRORS.incrementAndGet();
                        continue;
                    }
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(
                                "answered " + response.statusCode() + ": " + new String(response.body()));
                    }
                    mine.add(System.nanoTime() - start);
                }
                return mine;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> future : futures) {
            all.addAll(future.get());
        }
        pool.shutdown();
        return all.stream().mapToLong(Long::longValue).toArray();
    }

    /** Streams one after another; [time to first data line, time to the end] of each, in nanoseconds. */
    static long[][] stream(HttpRequest request, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> samples = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            HttpResponse<InputStream> response;
            try {
                response = STREAMS.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (java.io.IOException e) {
                TRANSPORT_ERRORS.incrementAndGet();
                continue;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("stream answered " + response.statusCode());
            }
            long first = 0;
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (first == 0 && line.startsWith("data:")) {
                        first = System.nanoTime() - start;
                    }
                }
            }
            samples.add(new long[] {first, System.nanoTime() - start});
        }
        long[][] result = new long[2][samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            result[0][i] = samples.get(i)[0];
            result[1][i] = samples.get(i)[1];
        }
        return result;
    }

    private static String token(String url, String form) throws Exception {
        return SuiteCalls.token(url, form);
    }

    private static String send(String url, String method, String token, String json) throws Exception {
        return SuiteCalls.send(url, method, token, json);
    }
}
