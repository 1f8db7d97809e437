package org.vettedaccess.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.vettedaccess.suite.LocalSuite;

/**
 * What a flood of random API keys does to the researchers whose keys are valid (issue 18): valid callers' latency
 * before, during and after 100,000 random {@code va-…} keys, and whether their keys stayed cached (the gateway's
 * key lookups in PostgreSQL, counted from {@code pg_stat_user_tables}: the valid calls' lookups after the flood
 * equal to before it mean the flood evicted none of their keys; the few there are come from the key cache's 500 ms
 * time to live, which bounds how long a revocation on another replica takes). Two gateways: the suite's, whose per-client limit on failed authentications
 * is lifted (as for a flood spread over many addresses: every random key costs a lookup and a negative-cache entry),
 * and one with the production limit (30 a minute per address: the flood is refused before any lookup). The flood
 * is paced ({@code --flood-rate}, 2,000 keys/s by default) because its load generator shares the two cores with
 * the suite: unpaced, the valid callers' tail measures mostly the generator's own CPU.
 * {@code bench/key-flood.sh}
 */
public final class KeyFloodBenchmark {

    private static final HttpClient VALID =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The flood has its own connections, as an attacker would. */
    private static final HttpClient FLOOD =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyFloodBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SuiteCalls.options(args);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "8"));
        int flood = Integer.parseInt(options.getOrDefault("flood", "100000"));
        int validClients = Integer.parseInt(options.getOrDefault("valid-clients", "8"));
        int floodClients = Integer.parseInt(options.getOrDefault("flood-clients", "8"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "10"));
        // Paced, so that the load generator (on the same two cores) does not measure only its own CPU.
        int rate = Integer.parseInt(options.getOrDefault("flood-rate", "2000"));
        // --profile true: a JFR recording of the production-limit gateway during its flood (where a refusal's CPU
        // goes).
        boolean profile = Boolean.parseBoolean(options.getOrDefault("profile", "false"));
        Path state = Path.of(options.get("state"));
        try (LocalSuite suite = SuiteCalls.startSuite(options)) {
            List<String> keys = validKeys(suite, 4);
            System.out.printf(
                    "%nvalid callers: %d threads over %d keys of one researcher; flood: %,d random keys from %d"
                            + " threads at up to %,d keys/s; %d s trials%n%n",
                    validClients, keys.size(), flood, floodClients, rate, seconds);
            System.out.println("| gateway | valid p50 before | valid p99 before | valid p99 during the flood |"
                    + " p99 during / before | valid p99 after | flood answers (keys/s) | key lookups by the flood |"
                    + " key lookups by valid calls before / after |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            String url = suite.serviceUrl("gateway") + "/v1/chat/completions";
            trial(
                    suite,
                    "failed-auth limit lifted (a flood over many addresses)",
                    url,
                    keys,
                    validClients,
                    floodClients,
                    flood,
                    rate,
                    seconds,
                    warmup,
                    null);
            suite.stop("gateway");
            suite.restart("gateway", Map.of("GATEWAY_FAILED_AUTH_LIMIT", "30"));
            trial(
                    suite,
                    "production limit, 30 failures/min per address",
                    url,
                    keys,
                    validClients,
                    floodClients,
                    flood,
                    rate,
                    seconds,
                    warmup,
                    profile ? state : null);
        }
    }

    private static void trial(
            LocalSuite suite,
            String name,
            String url,
            List<String> keys,
            int validClients,
            int floodClients,
            int flood,
            int rate,
            int seconds,
            int warmup,
            Path profileState)
            throws Exception {
        valid(url, keys, validClients, warmup, null);
        Thread.sleep(2_000); // PostgreSQL flushes its per-table counters at most once a second per backend
        long lookupsStart = keyLookups(suite);
        Stats before = Stats.of(valid(url, keys, validClients, seconds, null));
        Thread.sleep(2_000);
        long lookupsBefore = keyLookups(suite);
        Map<Integer, LongAdder> answers = new ConcurrentHashMap<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        ExecutorService attacker = Executors.newSingleThreadExecutor();
        long gatewayPid = profileState == null
                ? 0
                : Long.parseLong(Files.readString(profileState.resolve("pids/gateway.pid"))
                        .trim()
                        .split("\\s+")[0]);
        if (profileState != null) {
            Peers.jcmd(gatewayPid, "JFR.start", "name=flood", "settings=profile");
        }
        long floodStart = System.nanoTime();
        Future<?> floodDone = attacker.submit(() -> {
            try {
                flood(url, floodClients, flood, rate, answers);
            } finally {
                flooding.set(false);
            }
            return null;
        });
        Stats during = Stats.of(valid(url, keys, validClients, Integer.MAX_VALUE, flooding));
        floodDone.get();
        double floodRate = flood / ((System.nanoTime() - floodStart) / 1e9);
        String profiled = "";
        if (profileState != null) {
            Path file = profileState.resolve("gateway-flood-" + gatewayPid + ".jfr");
            Peers.jcmd(gatewayPid, "JFR.stop", "name=flood", "filename=" + file);
            profiled = Profile.summarise(
                    file, Map.of(), "Profile of the gateway (JFR, `settings=profile`) during the flood: " + name);
        }
        attacker.shutdown();
        // An idle backend flushes its last second of counters only after PostgreSQL's 10 s idle interval.
        Thread.sleep(12_000);
        long lookupsAfterFlood = keyLookups(suite);
        Stats after = Stats.of(valid(url, keys, validClients, seconds, null));
        Thread.sleep(2_000);
        long lookupsAfterValid = keyLookups(suite);
        StringBuilder statuses = new StringBuilder();
        answers.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> statuses.append(statuses.isEmpty() ? "" : ", ")
                        .append(String.format("%,d × %d", e.getValue().sum(), e.getKey())));
        System.out.printf(
                "| %s | %.2f ms | %.2f ms | %.2f ms | %.2f× | %.2f ms | %s (%,.0f/s) | %,d | %,d / %,d |%n",
                name,
                before.p50() / 1000,
                before.p99() / 1000,
                during.p99() / 1000,
                during.p99() / before.p99(),
                after.p99() / 1000,
                statuses,
                floodRate,
                lookupsAfterFlood - lookupsBefore,
                lookupsBefore - lookupsStart,
                lookupsAfterValid - lookupsAfterFlood);
        if (!profiled.isEmpty()) {
            System.out.println(profiled);
        }
    }

    /** Four keys of the benchmark's researcher, each with a current grant. */
    private static List<String> validKeys(LocalSuite suite, int count) throws Exception {
        List<String> keys = new ArrayList<>();
        keys.add(GatewayBenchmark.setUp(suite));
        String alice = SuiteCalls.token(
                suite.realmUrl() + "/protocol/openid-connect/token",
                "grant_type=password&client_id=cli&username=alice&password=alice-demo");
        for (int i = 1; i < count; i++) {
            keys.add(SuiteCalls.send(
                            suite.serviceUrl("gateway") + "/api/v1/keys",
                            "POST",
                            alice,
                            "{\"name\":\"flood-" + i + "\"}")
                    .replaceAll(".*\"key\":\"([^\"]+)\".*", "$1"));
        }
        return keys;
    }

    /**
     * Valid calls from {@code clients} threads, round-robin over the keys, for {@code seconds} or while
     * {@code running} holds; the latency of each, in nanoseconds. Anything but a 200 stops the benchmark.
     */
    private static long[] valid(String url, List<String> keys, int clients, int seconds, AtomicBoolean running)
            throws Exception {
        long deadline = seconds == Integer.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            HttpRequest request = call(url, keys.get(c % keys.size()), GatewayBenchmark.BODY + "}");
            futures.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                while (System.nanoTime() < deadline && (running == null || running.get())) {
                    long start = System.nanoTime();
                    HttpResponse<byte[]> response = VALID.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("a valid caller was answered " + response.statusCode() + ": "
                                + new String(response.body()));
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

    /** {@code total} calls, each with a fresh random key of the right shape, counted by the status they got. */
    private static void flood(String url, int clients, int total, int rate, Map<Integer, LongAdder> answers)
            throws Exception {
        AtomicInteger sent = new AtomicInteger();
        long start = System.nanoTime();
        long gapNanos = 1_000_000_000L / Math.max(1, rate);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                byte[] raw = new byte[32];
                for (int n; (n = sent.getAndIncrement()) < total; ) {
                    long wait = start + n * gapNanos - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    RANDOM.nextBytes(raw);
                    String key = "va-" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
                    int status;
                    try {
                        status = FLOOD.send(
                                        call(url, key, GatewayBenchmark.BODY + "}"),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                    } catch (java.io.IOException e) {
                        status = 0; // a transport failure of the flood itself, counted as "0"
                    }
                    answers.computeIfAbsent(status, s -> new LongAdder()).increment();
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
    }

    private static HttpRequest call(String url, String key, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** How many times the gateway's database was asked for an API key so far (index and table scans). */
    private static long keyLookups(LocalSuite suite) throws Exception {
        try (Connection db = DriverManager.getConnection(
                        suite.database().jdbcUrl("va_gateway"),
                        suite.database().user(),
                        suite.database().password());
                Statement query = db.createStatement();
                ResultSet row =
                        query.executeQuery("SELECT coalesce(sum(coalesce(idx_scan, 0) + coalesce(seq_scan, 0)), 0)"
                                + " FROM pg_stat_user_tables WHERE relname = 'api_keys'")) {
            row.next();
            return row.getLong(1);
        }
    }
}
