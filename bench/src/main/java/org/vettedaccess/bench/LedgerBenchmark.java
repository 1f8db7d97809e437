package org.vettedaccess.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.vettedaccess.ledger.core.CompactRange;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NodeId;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.tree.NodeRepository;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/**
 * The usage-ledger's benchmark: durable appends per second through the running service on PostgreSQL (batched
 * requests, and many concurrent single-entry requests that group commit has to merge), and inclusion and
 * consistency proof latency over trees of 1M and 10M leaves stored the way the service stores them.
 *
 * <p>{@code bench/ledger.sh [--seconds N] [--warmup N] [--leaves 1000000,10000000]}
 */
public final class LedgerBenchmark {

    private LedgerBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
        // A fresh JVM spends its first ten or so seconds compiling (C2 took a third of a core during a 3 s warm-up
        // on 2 cores), so each shape is warmed before it is timed: the figures are the sustained rate.
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "15"));
        List<Long> sizes = java.util.Arrays.stream(
                        options.getOrDefault("leaves", "1000000,10000000").split(","))
                .filter(size -> !size.isBlank() && !size.equals("0"))
                .map(Long::parseLong)
                .toList();
        LocalSuite.Settings settings = LocalSuite.Settings.of(
                Path.of(options.getOrDefault("root", ".")),
                Path.of(options.getOrDefault("state", "bench/target/suite")),
                Path.of(options.get("keycloak-zip")),
                SuitePorts.free(),
                true);
        System.out.printf(
                "machine: %d cores, Java %s, %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                System.getProperty("os.name"));
        try (LocalSuite suite = LocalSuite.start(settings, line -> System.out.println("  " + line))) {
            String token = serviceToken(suite);
            String url = suite.serviceUrl("usage-ledger") + "/api/v1/entries";
            appends(url, token, 16, 100, warmup);
            // --jfr <file>: a JFR profile of the ledger's JVM during the timed batched shape (where its CPU goes).
            String jfr = options.get("jfr");
            long ledgerPid = jfr == null ? 0 : Peers.pidOf(settings.state(), "usage-ledger");
            if (jfr != null) {
                GatewayBenchmark.jcmd(ledgerPid, "JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
            }
            double batched = appends(url, token, 16, 100, seconds);
            if (jfr != null) {
                GatewayBenchmark.jcmd(ledgerPid, "JFR.stop", "name=bench");
                System.out.println("  JFR profile of the ledger during the batched shape: " + jfr);
            }
            appends(url, token, 64, 1, Math.min(warmup, 5));
            double single = appends(url, token, 64, 1, seconds);
            System.out.printf(
                    "%nappends (durable, PostgreSQL, through HTTP; %d s each after a %d s warm-up):%n",
                    seconds, warmup);
            System.out.printf(
                    "  batched  16 clients x 100 entries/request: %,.0f appends/s  (target >= 25,000, issue 25: %s)%n",
                    batched, batched >= 25_000 ? "met" : "NOT met");
            System.out.printf("  single   64 clients x   1 entry/request:   %,.0f appends/s%n", single);
            System.out.println("  group commit, from the ledger's metrics:");
            HttpResponse<String> metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(suite.managementUrl("usage-ledger") + "/q/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            metrics.body()
                    .lines()
                    .filter(line -> line.startsWith("ledger_append_"))
                    .forEach(line -> System.out.println("    " + line));
            if (sizes.isEmpty()) {
                return;
            }
            try (Connection db = DriverManager.getConnection(
                    suite.database().jdbcUrl("postgres"),
                    suite.database().user(),
                    suite.database().password())) {
                try (Statement statement = db.createStatement()) {
                    statement.execute("DROP DATABASE IF EXISTS va_bench");
                    statement.execute("CREATE DATABASE va_bench");
                }
            }
            try (Connection db = DriverManager.getConnection(
                    suite.database().jdbcUrl("va_bench"),
                    suite.database().user(),
                    suite.database().password())) {
                for (long size : sizes) {
                    proofs(db, size);
                }
            }
        }
    }

    private static String serviceToken(LocalSuite suite) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(suite.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=gateway&client_secret=gateway-demo-secret"))
                .build();
        String body = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString())
                .body();
        return body.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
    }

    /** Runs {@code clients} threads posting {@code batch}-entry requests for {@code seconds}; returns entries/s. */
    private static double appends(String url, String token, int clients, int batch, int seconds) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong appended = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    StringBuilder body = new StringBuilder("{\"entries\":[");
                    for (int e = 0; e < batch; e++) {
                        body.append(e == 0 ? "" : ",")
                                .append("{\"idempotencyKey\":\"bench-")
                                .append(start)
                                .append('-')
                                .append(client)
                                .append('-')
                                .append(n++)
                                .append("\",\"type\":\"usage\",\"entry\":{\"subject\":\"bench-subject\","
                                        + "\"model\":\"sim-small\",\"endpoint\":\"/v1/chat/completions\","
                                        + "\"grantId\":\"g-1\",\"grantLeaf\":0,\"decisionId\":\"d-1\","
                                        + "\"policyVersion\":\"p-1\",\"inputTokens\":12,\"outputTokens\":24,"
                                        + "\"status\":\"ok\",\"latencyMs\":3,\"startedAt\":\"2026-11-22T10:00:00Z\","
                                        + "\"finishedAt\":\"2026-11-22T10:00:01Z\",\"promptCommitment\":\"")
                                .append("ab".repeat(32))
                                .append("\"}}");
                    }
                    body.append("]}");
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build();
                    try {
                        int status = http.send(request, HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        (status == 200 ? appended : failed).addAndGet(status == 200 ? batch : 1);
                    } catch (IOException | InterruptedException e) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (failed.get() > 0) {
            System.out.printf("  (%d requests failed)%n", failed.get());
        }
        return appended.get() / elapsed;
    }

    /** Loads a tree of {@code size} leaves as the service stores it, then times proofs as the service makes them. */
    private static void proofs(Connection db, long size) throws SQLException, IOException {
        try (Statement statement = db.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS tree_nodes, leaves");
            statement.execute("CREATE UNLOGGED TABLE tree_nodes (level smallint NOT NULL, idx bigint NOT NULL,"
                    + " hash bytea NOT NULL)");
            // Level-0 nodes are the leaves' leaf_hash (V5); the filler makes the rows about as wide as the service's.
            statement.execute("CREATE UNLOGGED TABLE leaves (idx bigint NOT NULL, leaf_hash bytea NOT NULL,"
                    + " entry bytea NOT NULL DEFAULT decode(repeat('ab', 400), 'hex'))");
        }
        long loadStart = System.nanoTime();
        CompactRange tree = CompactRange.empty();
        HexFormat hex = HexFormat.of();
        CopyIn copy = db.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY tree_nodes FROM STDIN");
        StringWriter chunk = new StringWriter();
        for (long i = 0; i < size; i++) {
            for (CompactRange.StoredNode node :
                    tree.append(Hashes.leaf(("leaf " + i).getBytes(StandardCharsets.UTF_8)))) {
                if (node.id().level() == 0) {
                    continue;
                }
                chunk.append(Integer.toString(node.id().level()))
                        .append('\t')
                        .append(Long.toString(node.id().index()))
                        .append("\t\\\\x")
                        .append(hex.formatHex(node.hash()))
                        .append('\n');
            }
            if (i % 50_000 == 49_999 || i == size - 1) {
                byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                chunk = new StringWriter();
            }
        }
        copy.endCopy();
        CopyIn leafCopy = db.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY leaves (idx, leaf_hash) FROM STDIN");
        for (long i = 0; i < size; i++) {
            chunk.append(Long.toString(i))
                    .append("\t\\\\x")
                    .append(hex.formatHex(Hashes.leaf(("leaf " + i).getBytes(StandardCharsets.UTF_8))))
                    .append('\n');
            if (i % 50_000 == 49_999 || i == size - 1) {
                byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                leafCopy.writeToCopy(bytes, 0, bytes.length);
                chunk = new StringWriter();
            }
        }
        leafCopy.endCopy();
        try (Statement statement = db.createStatement()) {
            statement.execute("ALTER TABLE tree_nodes ADD PRIMARY KEY (level, idx)");
            statement.execute("ALTER TABLE leaves ADD PRIMARY KEY (idx)");
            statement.execute("ANALYZE tree_nodes");
            statement.execute("ANALYZE leaves");
        }
        System.out.printf(
                "%nproofs over %,d leaves (%,d stored nodes above the leaves, loaded in %.0f s):%n",
                size, size - Long.bitCount(size), (System.nanoTime() - loadStart) / 1e9);
        NodeRepository nodes = new NodeRepository();
        Random random = new Random(7);
        byte[] root = tree.root();
        int samples = 3000;
        long[] inclusion = new long[samples];
        long[] consistency = new long[samples];
        for (int warm = 0; warm < 2; warm++) {
            for (int s = 0; s < samples; s++) {
                long index = Math.floorMod(random.nextLong(), size);
                long t0 = System.nanoTime();
                Map<NodeId, byte[]> read = nodes.read(db, Proofs.inclusionNodes(index, size));
                List<byte[]> proof = Proofs.inclusionProof(index, size, read::get);
                inclusion[s] = System.nanoTime() - t0;
                if (!Proofs.verifyInclusion(
                        index, size, Hashes.leaf(("leaf " + index).getBytes(StandardCharsets.UTF_8)), proof, root)) {
                    throw new IllegalStateException("inclusion proof failed at " + index);
                }
                long older = 1 + Math.floorMod(random.nextLong(), size - 1);
                long t1 = System.nanoTime();
                Map<NodeId, byte[]> readC = nodes.read(db, Proofs.consistencyNodes(older, size));
                Proofs.consistencyProof(older, size, readC::get);
                consistency[s] = System.nanoTime() - t1;
            }
        }
        Stats in = Stats.of(inclusion);
        Stats co = Stats.of(consistency);
        System.out.printf(
                "  inclusion proof   (one query + hashing): %s  (target p50 <= 2 ms: %s)%n",
                in, in.p50() <= 2000 ? "met" : "NOT met");
        System.out.printf(
                "  consistency proof (one query + hashing): %s  (target p50 <= 2 ms: %s)%n",
                co, co.p50() <= 2000 ? "met" : "NOT met");
    }
}
