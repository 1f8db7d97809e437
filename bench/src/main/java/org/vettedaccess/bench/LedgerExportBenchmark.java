package org.vettedaccess.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.vettedaccess.suite.LocalSuite;

/**
 * Issue 20 item 3: the export streams in bounded memory at 10 million leaves. It starts the suite, appends a KYC
 * decision, a grant and two usages through the ledger's API with the services' own accounts, stops the ledger and
 * COPYs {@code --leaves} more usage leaves and their Merkle nodes into its PostgreSQL ({@link LedgerSeeder}). Then it restarts the ledger with {@code -Xmx256m},
 * appends two more usages through the API (the sequencer carries on from the copied tree's right edge), has it sign
 * and cosign a checkpoint, and times: a plain {@code COPY ... TO STDOUT} of the same leaves (the floor), the
 * regulator's {@code GET /api/v1/export} streamed to a file (with the ledger's peak RSS from {@code /proc}), and the
 * offline verifier over that file at {@code -Xmx128m} (its peak RSS likewise). The verifier must say VERIFIED.
 *
 * <p>{@code bench/ledger.sh export [--leaves 10000000] [--keep-bundle true]}
 */
public final class LedgerExportBenchmark {

    private static final String LEDGER = "usage-ledger";

    private LedgerExportBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SuiteCalls.options(args);
        long seeded = Long.parseLong(options.getOrDefault("leaves", "10000000"));
        Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath();
        Path bundle = root.resolve("bench/target/export-bundle.json");
        Path jar = root.resolve("ledger-verifier/target/ledger-verifier-0.1.0-SNAPSHOT-cli.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: ./mvnw -pl ledger-verifier -am package -DskipTests");
        }
        List<String> out = new ArrayList<>();
        try (LocalSuite suite = SuiteCalls.startSuite(options)) {
            String realm = suite.realmUrl() + "/protocol/openid-connect/token";
            String ledger = suite.serviceUrl(LEDGER);
            String subject = "bench-export-" + UUID.randomUUID();
            long kyc = append(ledger, service(realm, "kyc-service"), "kyc.decision", kycDecision(subject));
            long grant = append(ledger, service(realm, "access-policy"), "grant.issued", grant(subject, kyc));
            String gateway = service(realm, "gateway");
            append(ledger, gateway, "usage", usage(subject, grant));
            long template = append(ledger, gateway, "usage", usage(subject, grant));

            suite.stop(LEDGER);
            String url = suite.database().jdbcUrl("va_ledger") + "?currentSchema=ledger";
            long t0 = System.nanoTime();
            long size;
            try (Connection db = DriverManager.getConnection(
                    url, suite.database().user(), suite.database().password())) {
                size = LedgerSeeder.seed(db, template, seeded);
            }
            double seedSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("seeded %,d leaves (log size now %,d) in %.0f s%n", seeded, size, seedSeconds);

            suite.restart(LEDGER, Map.of(), List.of("-Xms32m", "-Xmx256m"));
            long pid = Peers.pidOf(Path.of(options.getOrDefault("state", "bench/target/suite")), LEDGER);
            append(ledger, gateway, "usage", usage(subject, grant));
            long last = append(ledger, gateway, "usage", usage(subject, grant));
            String greg = SuiteCalls.token(realm, "grant_type=password&client_id=cli&username=greg&password=greg-demo");
            String checkpoint = SuiteCalls.send(ledger + "/api/v1/checkpoints", "POST", greg, "");
            long treeSize = Long.parseLong(checkpoint.replaceAll(".*\"treeSize\":(\\d+).*", "$1"));
            if (treeSize <= last) {
                throw new IllegalStateException("the ledger signed " + checkpoint + ", which misses index " + last);
            }

            double copySeconds;
            String copied;
            try (Connection db = DriverManager.getConnection(
                    url, suite.database().user(), suite.database().password())) {
                AtomicLong bytes = new AtomicLong();
                OutputStream counting = new OutputStream() {
                    @Override
                    public void write(int b) {
                        bytes.incrementAndGet();
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        bytes.addAndGet(len);
                    }
                };
                long c0 = System.nanoTime();
                long rows = db.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyOut(
                                "COPY (SELECT idx, entry FROM leaves WHERE idx < " + treeSize
                                        + " ORDER BY idx) TO STDOUT",
                                counting);
                copySeconds = (System.nanoTime() - c0) / 1e9;
                copied = String.format(
                        "plain COPY (idx, entry) TO STDOUT: %.1f s, %,d rows, %,d bytes",
                        copySeconds, rows, bytes.get());
                System.out.println(copied);
            }

            long hwmBefore = status(pid, "VmHWM");
            Sampler sampler = Sampler.start(pid);
            long e0 = System.nanoTime();
            HttpResponse<Path> export = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(ledger + "/api/v1/export"))
                                    .header("Authorization", "Bearer " + greg)
                                    .build(),
                            HttpResponse.BodyHandlers.ofFile(bundle));
            double exportSeconds = (System.nanoTime() - e0) / 1e9;
            long exportPeak = sampler.stop();
            long hwm = status(pid, "VmHWM");
            if (export.statusCode() != 200) {
                throw new IllegalStateException("the export answered " + export.statusCode());
            }
            long bundleBytes = Files.size(bundle);

            String vkey = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(ledger + "/api/v1/public-key"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Path report = root.resolve("bench/target/export-verifier.txt");
            Process verifier = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx128m",
                            "-jar",
                            jar.toString(),
                            "--vkey",
                            vkey.strip(),
                            "--witness",
                            suite.witness().vkey(),
                            "--bundle",
                            bundle.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(report.toFile())
                    .start();
            long v0 = System.nanoTime();
            long verifierPeak = 0;
            while (verifier.isAlive()) {
                verifierPeak = Math.max(verifierPeak, status(verifier.pid(), "VmHWM"));
                Thread.sleep(50);
            }
            double verifySeconds = (System.nanoTime() - v0) / 1e9;
            String verdict = Files.readString(report);
            String loadAverage = Files.readString(Path.of("/proc/loadavg")).strip();
            if (!options.getOrDefault("keep-bundle", "false").equals("true")) {
                Files.deleteIfExists(bundle);
            }

            out.add(String.format(
                    "machine: %d cores, Java %s; %,d leaves (%,d copied in as the owner, %d through the API)",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    treeSize,
                    seeded,
                    treeSize - seeded));
            out.add(String.format("seeding (COPY of leaves and nodes, index rebuild, VACUUM): %.0f s", seedSeconds));
            out.add(copied);
            out.add(String.format(
                    "export GET /api/v1/export, ledger at -Xmx256m: %.1f s (%.2fx the plain COPY), %,d bytes;"
                            + " ledger RSS peak during the export %d MB, VmHWM %d MB (%d MB before it)",
                    exportSeconds,
                    exportSeconds / copySeconds,
                    bundleBytes,
                    exportPeak >> 10,
                    hwm >> 10,
                    hwmBefore >> 10));
            out.add(String.format(
                    "ledger-verifier --bundle at -Xmx128m: %.1f s, peak RSS (VmHWM) %d MB, exit %d",
                    verifySeconds, verifierPeak >> 10, verifier.exitValue()));
            out.add("load average at the end (1, 5, 15 min; the machine is shared): " + loadAverage);
            out.add("verifier output:");
            verdict.lines().forEach(line -> out.add("  " + line));
        }
        System.out.println();
        out.forEach(System.out::println);
        String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path results = root.resolve("bench/results/" + stamp + "-ledger-export.md");
        Files.writeString(
                results, "# bench/ledger.sh export, " + stamp + " UTC\n\n```\n" + String.join("\n", out) + "\n```\n");
        System.out.println("written to " + results);
        if (out.stream().noneMatch(line -> line.equals("  VERIFIED"))) {
            throw new IllegalStateException("the verifier did not verify the bundle");
        }
    }

    /** The largest VmRSS of a process, sampled every 100 ms until stopped. */
    private static final class Sampler {
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        static Sampler start(long pid) {
            Sampler sampler = new Sampler();
            sampler.thread = Thread.ofPlatform().daemon().start(() -> {
                while (sampler.running) {
                    sampler.peak.accumulateAndGet(status(pid, "VmRSS"), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            return sampler;
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            return peak.get();
        }
    }

    /** A {@code kB} field of {@code /proc/<pid>/status} (0 once the process is gone). */
    static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static String service(String realm, String client) throws Exception {
        return SuiteCalls.token(
                realm,
                "grant_type=client_credentials&client_id=" + client + "&client_secret=" + client + "-demo-secret");
    }

    /** Appends one entry with {@code token}; returns its index. */
    private static long append(String ledger, String token, String type, String entry) throws Exception {
        String body = "{\"entries\":[{\"idempotencyKey\":\"bench-" + UUID.randomUUID() + "\",\"type\":\"" + type
                + "\",\"entry\":" + entry + "}]}";
        String answer = SuiteCalls.send(ledger + "/api/v1/entries", "POST", token, body);
        return Long.parseLong(answer.replaceAll(".*\"index\":(\\d+).*", "$1"));
    }

    private static String kycDecision(String subject) {
        return "{\"applicationId\":\"app-" + UUID.randomUUID() + "\",\"subject\":\"" + subject
                + "\",\"outcome\":\"APPROVED\",\"tier\":2,\"assuranceLevel\":2,\"reviewers\":[\"reviewer-one\"],"
                + "\"decidedAt\":\"2026-11-01T10:00:00Z\",\"reasonCode\":\"checks-passed\"}";
    }

    private static String grant(String subject, long kycLeaf) {
        return "{\"grantId\":\"grant-" + UUID.randomUUID() + "\",\"subject\":\"" + subject
                + "\",\"models\":[\"sim-medium\"],\"purposeCommitment\":\"" + "ab".repeat(32)
                + "\",\"tier\":2,\"validFrom\":\"2026-11-01T00:00:00Z\",\"validUntil\":\"2027-01-31T00:00:00Z\","
                + "\"quota\":{\"rpm\":30,\"tokenBudget\":5000000},\"kycLeaf\":" + kycLeaf
                + ",\"actor\":\"policy-admin-one\",\"reason\":\"tier 2 approved\"}";
    }

    private static String usage(String subject, long grantLeaf) {
        return "{\"subject\":\"" + subject + "\",\"model\":\"sim-medium\",\"endpoint\":\"/v1/chat/completions\","
                + "\"grantId\":\"grant-x\",\"grantLeaf\":" + grantLeaf + ",\"decisionId\":\"decision-"
                + UUID.randomUUID() + "\",\"policyVersion\":\"policy-v1\",\"inputTokens\":10,\"outputTokens\":20,"
                + "\"status\":\"ok\",\"latencyMs\":12,\"startedAt\":\"2026-11-02T10:00:00Z\","
                + "\"finishedAt\":\"2026-11-02T10:00:01Z\",\"promptCommitment\":\"" + "cd".repeat(32) + "\"}";
    }
}
