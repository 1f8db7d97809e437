package org.vettedaccess.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.vettedaccess.suite.LocalSuite;

/**
 * access-policy's decision benchmark: latency (p50/p99/p99.9) of one decision at a time, and decisions per
 * second with concurrent callers, through HTTP with the gateway's service-account token, against the running
 * suite on PostgreSQL. {@code bench/policy.sh [--seconds N]}
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
            run(request, 1, 3);
            long[] latencies = run(request, 1, seconds);
            System.out.printf("%ndecisions through HTTP (JWT verified, PostgreSQL read):%n");
            System.out.printf(
                    "  1 client:   %,.0f decisions/s, %s%n", latencies.length / (double) seconds, Stats.of(latencies));
            // --profile true: a JFR recording of access-policy during the 16-client trial (where a decision's time
            // goes).
            long[] concurrent;
            if (Boolean.parseBoolean(options.getOrDefault("profile", "false"))) {
                java.nio.file.Path state = java.nio.file.Path.of(options.get("state"));
                long pid = Long.parseLong(java.nio.file.Files.readString(state.resolve("pids/access-policy.pid"))
                        .trim()
                        .split("\\s+")[0]);
                java.nio.file.Path file = state.resolve("access-policy-" + pid + ".jfr");
                Peers.jcmd(pid, "JFR.start", "name=decisions", "settings=profile");
                concurrent = run(request, 16, seconds);
                Peers.jcmd(pid, "JFR.stop", "name=decisions", "filename=" + file);
                System.out.println(Profile.summarise(
                        file, Map.of(), "Profile of access-policy (JFR, `settings=profile`, 16 clients deciding)"));
            } else {
                concurrent = run(request, 16, seconds);
            }
            System.out.printf(
                    "  16 clients: %,.0f decisions/s, %s%n",
                    concurrent.length / (double) seconds, Stats.of(concurrent));
        }
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
