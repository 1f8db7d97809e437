package org.vettedaccess.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.vettedaccess.ledger.core.CompactRange;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NodeId;
import org.vettedaccess.ledger.tree.NodeRepository;
import org.vettedaccess.suite.LocalSuite;

/**
 * Issue 20 item 3: the export streams in bounded memory at 10 million leaves. It starts the suite, appends a KYC
 * decision, a grant and two usages through the ledger's API with the services' own accounts, stops the ledger and
 * COPYs {@code --leaves} more usage leaves (the service's second usage leaf with its token counts varied, so each is
 * distinct and names the grant) and their Merkle nodes into its PostgreSQL as the schema's owner, exactly as the
 * sequencer stores them, under the sequencer's advisory lock. Then it restarts the ledger with {@code -Xmx256m},
 * appends two more usages through the API (the sequencer carries on from the copied tree's right edge), has it sign
 * and cosign a checkpoint, and times: a plain {@code COPY ... TO STDOUT} of the same leaves (the floor), the
 * regulator's {@code GET /api/v1/export} streamed to a file (with the ledger's peak RSS from {@code /proc}), and the
 * offline verifier over that file at {@code -Xmx128m} (its peak RSS likewise). The verifier must say VERIFIED.
 *
 * <p>{@code bench/ledger.sh export [--leaves 10000000] [--keep-bundle true]}
 */
public final class LedgerExportBenchmark {

    private static final String LEDGER = "usage-ledger";
    private static final long APPEND_LOCK = 0x5641_4C45_4447_4552L; // the sequencer's "VALEDGER"
    private static final Instant PG_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

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
                size = seed(db, template, seeded);
            }
            double seedSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("seeded %,d leaves (log size now %,d) in %.0f s%n", seeded, size, seedSeconds);

            suite.restart(LEDGER, Map.of(), List.of("-Xms32m", "-Xmx256m"));
            long pid = GatewayBenchmark.pidOf(Path.of(options.getOrDefault("state", "bench/target/suite")), LEDGER);
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

    /**
     * COPYs {@code count} usage leaves after the current end of the log and their tree nodes, in one transaction
     * under the sequencer's advisory lock; returns the log's size after. The secondary indexes are dropped and built
     * again from their own definitions (faster than 10 M index insertions each); the primary keys stay.
     */
    private static long seed(Connection db, long template, long count) throws SQLException, IOException {
        db.setAutoCommit(false);
        try (Statement statement = db.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ")");
            statement.execute("SET LOCAL maintenance_work_mem = '1GB'");
        }
        long start;
        try (Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery("SELECT coalesce(max(idx) + 1, 0) FROM leaves")) {
            row.next();
            start = row.getLong(1);
        }
        Template leaf = Template.read(db, template);
        List<String> rebuild = dropSecondaryIndexes(db);
        CopyIn leaves = db.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY leaves (idx, idempotency_key, request_hash, entry_type, subject, model, logged_at,"
                        + " entry, leaf_hash, appended_by) FROM STDIN (FORMAT binary)");
        Binary rows = new Binary(leaves);
        long micros = ChronoUnit.MICROS.between(PG_EPOCH, leaf.loggedAt());
        for (long i = 0; i < count; i++) {
            byte[] bytes = leaf.bytes(i);
            rows.tuple(10)
                    .int8(start + i)
                    .text("bench-seed-" + i)
                    .bytes(leaf.requestHash())
                    .text("usage")
                    .text(leaf.subject())
                    .text(leaf.model())
                    .int8(micros)
                    .bytes(bytes)
                    .bytes(Hashes.leaf(bytes))
                    .text(leaf.appendedBy());
            rows.flushIfFull();
        }
        rows.end();
        Map<NodeId, byte[]> edge = new NodeRepository().read(db, CompactRange.edgeNodes(start));
        CompactRange tree = CompactRange.of(start, edge::get);
        Binary nodes = new Binary(db.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY tree_nodes (level, idx, hash) FROM STDIN (FORMAT binary)"));
        for (long i = 0; i < count; i++) {
            for (CompactRange.StoredNode node : tree.append(Hashes.leaf(leaf.bytes(i)))) {
                if (node.id().level() == 0) {
                    continue; // the leaf's own leaf_hash (V5)
                }
                nodes.tuple(3).int2(node.id().level()).int8(node.id().index()).bytes(node.hash());
            }
            nodes.flushIfFull();
        }
        nodes.end();
        try (Statement statement = db.createStatement()) {
            for (String sql : rebuild) {
                statement.execute(sql);
            }
        }
        db.commit();
        db.setAutoCommit(true);
        try (Statement statement = db.createStatement()) {
            statement.execute("VACUUM (ANALYZE) leaves");
            statement.execute("VACUUM (ANALYZE) tree_nodes");
        }
        return start + count;
    }

    /** Drops the leaves' unique constraint and non-key indexes; returns the statements that make them again. */
    private static List<String> dropSecondaryIndexes(Connection db) throws SQLException {
        List<String> drop = new ArrayList<>();
        List<String> rebuild = new ArrayList<>();
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE conrelid = 'leaves'::regclass AND contype = 'u'")) {
            while (rows.next()) {
                drop.add("ALTER TABLE leaves DROP CONSTRAINT " + rows.getString(1));
                rebuild.add("ALTER TABLE leaves ADD CONSTRAINT " + rows.getString(1) + " " + rows.getString(2));
            }
        }
        try (Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT i.indexrelid::regclass::text,"
                        + " pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = 'leaves'::regclass"
                        + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)")) {
            while (rows.next()) {
                drop.add("DROP INDEX " + rows.getString(1));
                rebuild.add(rows.getString(2));
            }
        }
        try (Statement statement = db.createStatement()) {
            for (String sql : drop) {
                statement.execute(sql);
            }
        }
        return rebuild;
    }

    /** The service's usage leaf the copies are made from: its row, and its bytes split around the token counts. */
    private record Template(
            byte[] requestHash,
            String subject,
            String model,
            Instant loggedAt,
            String appendedBy,
            String head,
            String middle,
            String tail) {

        static Template read(Connection db, long index) throws SQLException {
            try (PreparedStatement query = db.prepareStatement(
                    "SELECT request_hash, subject, model, logged_at, appended_by, entry FROM leaves WHERE idx = ?")) {
                query.setLong(1, index);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    String entry = new String(row.getBytes(6), StandardCharsets.UTF_8);
                    // RFC 8785 sorts the keys, so inputTokens comes before outputTokens; integers are plain digits.
                    int in = entry.indexOf("\"inputTokens\":10,");
                    int outAt = entry.indexOf("\"outputTokens\":20,");
                    if (in < 0 || outAt < in) {
                        throw new IllegalStateException("unexpected usage leaf: " + entry);
                    }
                    return new Template(
                            row.getBytes(1),
                            row.getString(2),
                            row.getString(3),
                            row.getTimestamp(4).toInstant(),
                            row.getString(5),
                            entry.substring(0, in) + "\"inputTokens\":",
                            entry.substring(in + "\"inputTokens\":10".length(), outAt) + "\"outputTokens\":",
                            entry.substring(outAt + "\"outputTokens\":20".length()));
                }
            }
        }

        /** Leaf {@code i}: distinct token counts, the canonical form kept (same keys, integers). */
        byte[] bytes(long i) {
            return (head + (1 + i / 1000) + middle + (i % 1000) + tail).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** PostgreSQL's binary COPY format, written in 4 MB chunks. */
    private static final class Binary {
        private final CopyIn copy;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 23);
        private final DataOutputStream data = new DataOutputStream(buffer);

        Binary(CopyIn copy) throws IOException {
            this.copy = copy;
            data.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
            data.writeInt(0);
            data.writeInt(0);
        }

        Binary tuple(int fields) throws IOException {
            data.writeShort(fields);
            return this;
        }

        Binary int8(long value) throws IOException {
            data.writeInt(8);
            data.writeLong(value);
            return this;
        }

        Binary int2(int value) throws IOException {
            data.writeInt(2);
            data.writeShort(value);
            return this;
        }

        Binary text(String value) throws IOException {
            return bytes(value.getBytes(StandardCharsets.UTF_8));
        }

        Binary bytes(byte[] value) throws IOException {
            data.writeInt(value.length);
            data.write(value);
            return this;
        }

        void flushIfFull() throws SQLException {
            if (buffer.size() >= 1 << 22) {
                flush();
            }
        }

        private void flush() throws SQLException {
            byte[] bytes = buffer.toByteArray();
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.reset();
        }

        void end() throws SQLException, IOException {
            data.writeShort(-1);
            flush();
            copy.endCopy();
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
