package org.vettedaccess.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.vettedaccess.suite.LocalSuite;

/**
 * Every cached decision dropped at once while many distinct researchers call (issue 25): researchers made through
 * Keycloak's admin API, each with a KYC approval, a grant and an API key; steady calls from all of them, then a
 * permissive catalog change (paula asks, pete confirms) that the change feed broadcasts to every gateway. Reports
 * the calls refused (target 0) and the p99 from the change until every researcher has called again (the refill)
 * against the steady p99 (target ≤ 3×). {@code bench/stampede.sh}
 */
public final class StampedeBenchmark {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private StampedeBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SuiteCalls.options(args);
        int researchers = Integer.parseInt(options.getOrDefault("researchers", "1000"));
        int setUpSeconds = Integer.parseInt(options.getOrDefault("setup-seconds", "60"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "8"));
        try (LocalSuite suite = SuiteCalls.startSuite(options)) {
            GatewayBenchmark.setUp(suite); // the tier, the model and alice's grant
            long started = System.nanoTime();
            List<String> keys = researchers(suite, researchers, setUpSeconds);
            System.out.printf(
                    "%n%d researchers set up in %.0f s (asked for %d within %d s); %d client threads%n%n",
                    keys.size(), (System.nanoTime() - started) / 1e9, researchers, setUpSeconds, clients);
            trial(suite, keys, clients, seconds);
        }
    }

    private static void trial(LocalSuite suite, List<String> keys, int clients, int seconds) throws Exception {
        String url = suite.serviceUrl("gateway") + "/v1/chat/completions";
        Map<Integer, LongAdder> refused = new ConcurrentHashMap<>();
        // Warm: every researcher's key and decision cached.
        calls(url, keys, clients, 2L * keys.size(), null, refused, null, 0);
        List<long[]> steady = Collections.synchronizedList(new ArrayList<>());
        calls(url, keys, clients, Long.MAX_VALUE, steady, refused, null, System.nanoTime() + seconds * 1_000_000_000L);
        // The drop, with calls going on: sample every call with its start time; the refill is over once every
        // researcher has called after the change.
        List<long[]> during = Collections.synchronizedList(new ArrayList<>());
        AtomicLong droppedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicIntegerArray calledAfter = new AtomicIntegerArray(keys.size());
        ExecutorService changer = Executors.newSingleThreadExecutor();
        Future<?> change = changer.submit(() -> {
            Thread.sleep(1_000);
            String realm = suite.realmUrl() + "/protocol/openid-connect/token";
            // Less training compute loosens (the risk inputs fall), so paula asks and pete confirms, and the feed
            // broadcasts a catalog change naming nobody: every gateway's every cached decision is concerned.
            SuiteCalls.policyChange(
                    suite.serviceUrl("access-policy"),
                    "/api/v1/models/" + GatewayBenchmark.MODEL,
                    realm,
                    "{\"upstreamRoute\":\"sim\",\"trainingFlop\":9e21}");
            droppedAt.set(System.nanoTime());
            return null;
        });
        Refill refill = new Refill(droppedAt, calledAfter, keys.size());
        calls(url, keys, clients, Long.MAX_VALUE, during, refused, refill, System.nanoTime() + 30_000_000_000L);
        change.get();
        changer.shutdown();
        long[] steadyNanos = steady.stream().mapToLong(s -> s[1]).toArray();
        long[] refillNanos = during.stream()
                .filter(s -> s[0] >= droppedAt.get() && s[0] <= refill.endedAt.get())
                .mapToLong(s -> s[1])
                .toArray();
        Stats before = Stats.of(steadyNanos);
        Stats inRefill = Stats.of(refillNanos);
        StringBuilder statuses = new StringBuilder();
        refused.forEach((status, n) ->
                statuses.append(statuses.isEmpty() ? "" : ", ").append(String.format("%,d × %d", n.sum(), status)));
        System.out.println("| researchers | steady p50 | steady p99 | refill p99 | refill / steady p99 | refill took |"
                + " calls in the refill | calls refused |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        System.out.printf(
                "| %,d | %.2f ms | %.2f ms | %.2f ms | %.2f× | %.0f ms | %,d | %s |%n",
                keys.size(),
                before.p50() / 1000,
                before.p99() / 1000,
                inRefill.p99() / 1000,
                inRefill.p99() / before.p99(),
                (refill.endedAt.get() - droppedAt.get()) / 1e6,
                refillNanos.length,
                statuses.isEmpty() ? "0" : statuses.toString());
    }

    /** Ends the calls once every researcher has called after the drop. */
    private record Refill(
            AtomicLong droppedAt, AtomicIntegerArray calledAfter, int keys, AtomicInteger left, AtomicLong endedAt) {
        Refill(AtomicLong droppedAt, AtomicIntegerArray calledAfter, int keys) {
            this(droppedAt, calledAfter, keys, new AtomicInteger(keys), new AtomicLong(Long.MAX_VALUE));
        }

        boolean over() {
            return left.get() <= 0;
        }

        void called(int key, long startedAt) {
            if (startedAt >= droppedAt.get() && calledAfter.compareAndSet(key, 0, 1) && left.decrementAndGet() == 0) {
                endedAt.set(System.nanoTime());
            }
        }
    }

    /**
     * Calls from {@code clients} threads, each walking its share of the keys round-robin, until {@code total} calls,
     * the deadline or the refill's end; samples {start, latency} into {@code samples}, statuses other than 200 into
     * {@code refused}.
     */
    private static void calls(
            String url,
            List<String> keys,
            int clients,
            long total,
            List<long[]> samples,
            Map<Integer, LongAdder> refused,
            Refill refill,
            long deadline)
            throws Exception {
        AtomicLong left = new AtomicLong(total);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0
                        && (deadline == 0 || System.nanoTime() < deadline)
                        && (refill == null || !refill.over())) {
                    int key = Math.floorMod(next.getAndIncrement(), keys.size());
                    long start = System.nanoTime();
                    HttpResponse<byte[]> response = HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + keys.get(key))
                                    .POST(HttpRequest.BodyPublishers.ofString(GatewayBenchmark.BODY + "}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    long took = System.nanoTime() - start;
                    if (response.statusCode() != 200) {
                        refused.computeIfAbsent(response.statusCode(), s -> new LongAdder())
                                .increment();
                    }
                    if (samples != null) {
                        samples.add(new long[] {start, took});
                    }
                    if (refill != null) {
                        refill.called(key, start);
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
    }

    /** As many researchers as fit in the budget (up to {@code count}), each with an API key; their keys. */
    private static List<String> researchers(LocalSuite suite, int count, int budgetSeconds) throws Exception {
        long deadline = System.nanoTime() + budgetSeconds * 1_000_000_000L;
        String realm = suite.realmUrl() + "/protocol/openid-connect/token";
        String kyc = SuiteCalls.token(
                realm, "grant_type=client_credentials&client_id=kyc-service&client_secret=kyc-service-demo-secret");
        String paula = SuiteCalls.token(realm, "grant_type=password&client_id=cli&username=paula&password=paula-demo");
        String role = send(
                suite.keycloakUrl() + "/admin/realms/" + realmName(suite) + "/roles/researcher",
                "GET",
                admin(suite),
                null);
        List<String> keys = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger made = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                int i;
                while (System.nanoTime() < deadline && (i = made.getAndIncrement()) < count) {
                    keys.add(researcher(suite, "stampede-" + i, role, kyc, paula));
                }
                return null;
            }));
        }
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            // Also when one set-up fails: the pool's threads would otherwise keep the JVM (and the bench lock) alive.
            pool.shutdownNow();
        }
        return new ArrayList<>(keys);
    }

    /** One researcher: a Keycloak user with the researcher role, KYC approved at tier 1, a grant, an API key. */
    private static String researcher(LocalSuite suite, String name, String role, String kyc, String paula)
            throws Exception {
        String users = suite.keycloakUrl() + "/admin/realms/" + realmName(suite) + "/users";
        String admin = admin(suite);
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(users))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name
                                + "\",\"enabled\":true,\"email\":\"" + name + "@example.org\",\"emailVerified\":true,"
                                + "\"firstName\":\"" + name + "\",\"lastName\":\"Bench\",\"credentials\":[{\"type\":"
                                + "\"password\",\"value\":\"" + name + "-demo\",\"temporary\":false}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating " + name + ": " + created.statusCode() + " " + created.body());
        }
        String location = created.headers().firstValue("Location").orElseThrow();
        String subject = location.substring(location.lastIndexOf('/') + 1);
        send(users + "/" + subject + "/role-mappings/realm", "POST", admin, "[" + role + "]");
        String policy = suite.serviceUrl("access-policy");
        String leaf = SuiteCalls.send(
                        suite.serviceUrl("usage-ledger") + "/api/v1/entries",
                        "POST",
                        kyc,
                        "{\"entries\":[{\"idempotencyKey\":\"bench-kyc-" + name + "\",\"type\":\"kyc.decision\","
                                + "\"entry\":{\"applicationId\":\"" + name + "\",\"subject\":\"" + subject
                                + "\",\"outcome\":\"APPROVED\",\"tier\":1,\"assuranceLevel\":2,\"reviewers\":[],"
                                + "\"decidedAt\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                                + "\",\"reasonCode\":\"bench\"}}]}")
                .replaceAll(".*\"index\":(\\d+).*", "$1");
        SuiteCalls.send(
                policy + "/api/v1/kyc-outcomes",
                "POST",
                kyc,
                "{\"subject\":\"" + subject + "\",\"assuranceLevel\":2,\"approvedTier\":1,\"kycLeaf\":" + leaf
                        + ",\"status\":\"APPROVED\"}");
        SuiteCalls.send(
                policy + "/api/v1/grants",
                "POST",
                paula,
                "{\"subject\":\"" + subject + "\",\"models\":[\"" + GatewayBenchmark.MODEL
                        + "\"],\"tier\":1,\"purpose\":\"benchmark\",\"validUntil\":\""
                        + Instant.now().plus(30, ChronoUnit.DAYS) + "\"}");
        String token = SuiteCalls.token(
                suite.realmUrl() + "/protocol/openid-connect/token",
                "grant_type=password&client_id=cli&username=" + name + "&password=" + name + "-demo");
        return SuiteCalls.send(suite.serviceUrl("gateway") + "/api/v1/keys", "POST", token, "{\"name\":\"bench\"}")
                .replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
    }

    private static volatile String adminToken;
    private static volatile long adminTokenAt;

    /** Keycloak's bootstrap admin (demo-only, local runs); its master-realm token lives 60 s, so renewed at 30. */
    private static synchronized String admin(LocalSuite suite) throws Exception {
        if (adminToken == null || System.nanoTime() - adminTokenAt > 30_000_000_000L) {
            adminToken = SuiteCalls.token(
                    suite.keycloakUrl() + "/realms/master/protocol/openid-connect/token",
                    "grant_type=password&client_id=admin-cli&username=admin&password=admin-demo");
            adminTokenAt = System.nanoTime();
        }
        return adminToken;
    }

    private static String realmName(LocalSuite suite) {
        String realm = suite.realmUrl();
        return realm.substring(realm.lastIndexOf('/') + 1);
    }

    private static String send(String url, String method, String token, String json) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        if (json != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode());
        }
        return response.body();
    }
}
