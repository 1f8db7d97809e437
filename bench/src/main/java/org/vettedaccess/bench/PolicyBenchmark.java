package org.vettedaccess.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.vettedaccess.suite.LocalSuite;

/**
 * access-policy's decision benchmark: latency (p50/p99/p99.9) of one decision at a time, and decisions per
 * second with concurrent callers, through HTTP with the gateway's service-account token, against the running
 * suite on PostgreSQL, with the CPU each decision costs. {@code bench/policy.sh [--seconds N] [--warmup N] [--profile
 * true] [--wrk path]}
 */
public final class PolicyBenchmark {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private PolicyBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SuiteCalls.options(args);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
        try (LocalSuite suite = SuiteCalls.startSuite(options)) {
            String realm = suite.realmUrl() + "/protocol/openid-connect/token";
            String admin = token(realm, "grant_type=password&client_id=cli&username=paula&password=paula-demo");
            String kyc = token(
                    realm, "grant_type=client_credentials&client_id=kyc-service&client_secret=kyc-service-demo-secret");
            String gateway =
                    token(realm, "grant_type=client_credentials&client_id=gateway&client_secret=gateway-demo-secret");
            String policy = suite.serviceUrl("access-policy");
            SuiteCalls.policyChange(
                    policy, "/api/v1/models/bench-medium", realm, "{\"upstreamRoute\":\"sim\",\"trainingFlop\":5e23}");
            send(
                    policy + "/api/v1/kyc-outcomes",
                    "POST",
                    kyc,
                    "{\"subject\":\"bench-subject\",\"assuranceLevel\":2,"
                            + "\"approvedTier\":2,\"kycLeaf\":0,\"status\":\"APPROVED\"}");
            // The grant's ledger leaf needs a KYC leaf to name; index 0 stands in for it in this benchmark.
            send(
                    policy + "/api/v1/grants",
                    "POST",
                    admin,
                    "{\"subject\":\"bench-subject\",\"models\":[\"bench-medium\"],"
                            + "\"tier\":2,\"purpose\":\"benchmark\",\"validUntil\":\""
                            + Instant.now().plus(30, ChronoUnit.DAYS) + "\"}");
            String body =
                    "{\"subject\":\"bench-subject\",\"model\":\"bench-medium\",\"endpoint\":\"/v1/chat/completions\","
                            + "\"maxTokens\":256}";
            String decision = send(policy + "/api/v1/decisions", "POST", gateway, body);
            if (!decision.contains("\"ALLOW\"")) {
                throw new IllegalStateException("the benchmark's decision is not an allow: " + decision);
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(policy + "/api/v1/decisions"))
                    .header("Authorization", "Bearer " + gateway)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            long pid = Peers.pidOf(Path.of(options.get("state")), "access-policy");
            // Long enough for C2 to finish with the hot paths: with 3 s the first trials measured the compiler (C2 was
            // access-policy's busiest thread during the 16-client trial, and its CPU per decision at one client was
            // four times that at 16).
            int warmup = Integer.parseInt(options.getOrDefault("warmup", "20"));
            run(request, 16, warmup);
            System.out.printf("%ndecisions through HTTP (JWT verified, the subject's rows in memory):%n");
            trial("1 client:  ", pid, () -> run(request, 1, seconds), seconds);
            // --profile true: a JFR recording of access-policy during the 16-client trial (where a decision's time
            // goes).
            if (Boolean.parseBoolean(options.getOrDefault("profile", "false"))) {
                Path file = Path.of(options.get("state")).resolve("access-policy-" + pid + ".jfr");
                Peers.jcmd(pid, "JFR.start", "name=decisions", "settings=profile");
                String line = trial("16 clients:", pid, () -> run(request, 16, seconds), seconds);
                Peers.jcmd(pid, "JFR.stop", "name=decisions", "filename=" + file);
                System.out.println(Profile.summarise(
                        file, Map.of(), "Profile of access-policy (JFR, `settings=profile`, 16 clients deciding)"));
                System.out.println("  " + line + " (repeated from above the profile)");
            } else {
                trial("16 clients:", pid, () -> run(request, 16, seconds), seconds);
            }
            // --wrk <path>: the same decision from wrk (C, a fraction of the JDK client's CPU per request), to tell the
            // service's cost from the load generator's on the shared cores.
            if (options.containsKey("wrk")) {
                Path bodyFile = Files.writeString(Path.of(options.get("state")).resolve("decision.json"), body);
                Comparison.Contestant contestant = new Comparison.Contestant(
                        "access-policy",
                        policy.replace("localhost", "127.0.0.1") + "/api/v1/decisions",
                        List.of("Authorization: Bearer " + gateway),
                        () -> Peers.tree(pid));
                System.out.printf("%nthe same decision from wrk (-t1/-t2, HTTP/1.1 keep-alive):%n");
                for (int clients : new int[] {1, 16}) {
                    Comparison.Trial t =
                            Comparison.wrk(options.get("wrk"), contestant, bodyFile, clients, seconds, Set.of(pid));
                    System.out.printf(
                            "  %2d connections: %,.0f decisions/s, p50 %.0f µs, p99 %.0f µs, p99.9 %.0f µs;"
                                    + " access-policy %.0f µs CPU per decision%n",
                            clients,
                            t.rps(),
                            t.p50() * 1000,
                            t.p99() * 1000,
                            t.p999() * 1000,
                            // CPU seconds per 1,000 requests are milliseconds per request
                            t.cpuPer1k() * 1000);
                }
            }
        }
    }

    interface Trial {
        long[] run() throws Exception;
    }

    /**
     * One timed trial with the JDK client: decisions/s, latency, and CPU per decision of access-policy, of this JVM
     * (the load generator) and of the whole machine (/proc/stat), so a figure says what else shared the cores.
     */
    private static String trial(String name, long pid, Trial trial, int seconds) throws Exception {
        Set<Long> self = Set.of(ProcessHandle.current().pid());
        long policyBefore = Peers.cpuTicks(Set.of(pid));
        long clientBefore = Peers.cpuTicks(self);
        long machineBefore = machineBusyTicks();
        long[] latencies = trial.run();
        double n = Math.max(1, latencies.length);
        String line = String.format(
                "%s %,.0f decisions/s, %s; CPU per decision: access-policy %.0f µs, client %.0f µs, machine %.0f µs",
                name,
                latencies.length / (double) seconds,
                Stats.of(latencies),
                (Peers.cpuTicks(Set.of(pid)) - policyBefore) * 10_000 / n,
                (Peers.cpuTicks(self) - clientBefore) * 10_000 / n,
                (machineBusyTicks() - machineBefore) * 10_000 / n);
        System.out.println("  " + line);
        return line;
    }

    /** CPU ticks (1/100 s) the whole machine spent busy: user, nice, system, irq, softirq, steal of /proc/stat. */
    private static long machineBusyTicks() throws Exception {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(cpu[field]);
        }
        return busy;
    }

    private static long[] run(HttpRequest request, int clients, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                while (System.nanoTime() < deadline) {
                    long start = System.nanoTime();
                    HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("decision answered " + response.statusCode());
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

    private static String token(String url, String form) throws Exception {
        return SuiteCalls.token(url, form);
    }

    private static String send(String url, String method, String token, String json) throws Exception {
        return SuiteCalls.send(url, method, token, json);
    }
}
