package org.vettedaccess.e2e.ledger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.SignedNote;
import org.vettedaccess.ledger.core.Tiles;
import org.vettedaccess.ledger.verifier.cli.VerifierMain;
import org.vettedaccess.suite.LocalSuite;

/**
 * The ledger as monitors and regulators read it: C2SP tiles that Go's sumdb/tlog reads, checkpoints cosigned by the
 * suite's witness and a verifier's k-of-n witness policy over them, and the streamed NDJSON and CSV exports.
 */
@ExtendWith(RunningSuite.class)
class TilesWitnessExportTest {

    private static final Path GO = Path.of(System.getenv().getOrDefault("GO", "/usr/lib/go-1.19/bin/go"));
    private static final Path GOPATH = Path.of("/usr/share/gocode");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tilesAreImmutableRegulatorOnlyAndGoGetsTheCheckpointRootFromThem(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        Ledger ledger = new Ledger(suite, keycloak);
        ledger.appendChain("tiles-" + UUID.randomUUID(), 300);
        Checkpoint checkpoint = Checkpoint.parse(
                SignedNote.open(ledger.publishCheckpoint(), NoteKeys.parseVerifier(ledger.verifierKey())));
        assertTrue(checkpoint.size() >= 302);
        String greg = keycloak.userToken("greg");

        Response full = given().auth().oauth2(greg).get(ledger.url() + "/tile/0/000");
        assertEquals(200, full.statusCode(), full.asString());
        assertEquals(8192, full.asByteArray().length);
        assertTrue(full.header("Cache-Control").contains("immutable"), full.header("Cache-Control"));
        assertEquals("application/octet-stream", full.contentType());
        Response served = given().auth().oauth2(greg).get(ledger.url() + "/checkpoint");
        assertEquals(200, served.statusCode());
        assertTrue(served.asString().startsWith("vetted-access.local/usage-ledger\n"), served.asString());
        assertTrue(served.header("Cache-Control").contains("max-age=5"), served.header("Cache-Control"));

        // The entry bundle holds the same leaf bytes as the entries API.
        List<byte[]> bundle = Tiles.unbundle(given().auth()
                .oauth2(greg)
                .get(ledger.url() + "/tile/entries/000")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());
        assertEquals(256, bundle.size());
        String leaf5 = given().auth()
                .oauth2(greg)
                .get(ledger.url() + "/api/v1/entries/5")
                .then()
                .statusCode(200)
                .extract()
                .path("leaf");
        assertArrayEquals(Base64.getDecoder().decode(leaf5), bundle.get(5));

        // A researcher and an anonymous caller cannot read tiles; tiles beyond the checkpoint and bad paths are 404s.
        given().auth()
                .oauth2(keycloak.userToken("alice"))
                .get(ledger.url() + "/tile/0/000")
                .then()
                .statusCode(403);
        given().get(ledger.url() + "/tile/0/000").then().statusCode(401);
        given().auth()
                .oauth2(greg)
                .get(ledger.url() + "/tile/0/x999/999")
                .then()
                .statusCode(404);
        given().auth().oauth2(greg).get(ledger.url() + "/tile/0/1").then().statusCode(404);
        given().auth().oauth2(greg).get(ledger.url() + "/tile/00/000").then().statusCode(404);

        assumeTrue(
                Files.isExecutable(GO) && Files.isDirectory(GOPATH.resolve("src/golang.org/x/mod/sumdb/tlog")),
                "Go and golang.org/x/mod are not installed (CI installs them): the Go reading is skipped");
        Path program = Path.of("../ledger-core/src/test/go/tiles.go").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(
                        GO.toString(), "run", program.toString(), ledger.url(), ledger.verifierKey())
                .redirectErrorStream(true);
        builder.environment().put("GOPATH", GOPATH.toString());
        builder.environment().put("GO111MODULE", "off");
        builder.environment().put("GOFLAGS", "");
        builder.environment()
                .put("GOCACHE", Files.createTempDirectory("gocache").toString());
        builder.environment().put("LEDGER_TOKEN", greg);
        Process go = builder.start();
        String output = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(go.waitFor(240, TimeUnit.SECONDS), "go run finished");
        assertEquals(0, go.exitValue(), output);
        assertTrue(output.contains("ok root from tiles size "), output);
        assertTrue(output.contains("entries from bundles"), output);
    }

    @Test
    void checkpointsCarryTheLocalWitnessCosignatureAndTheVerifierAppliesKOfN(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        Ledger ledger = new Ledger(suite, keycloak);
        ledger.appendChain("witnessed-" + UUID.randomUUID(), 1);
        ledger.publishCheckpoint();
        String greg = keycloak.userToken("greg");
        String served = given().auth()
                .oauth2(greg)
                .get(ledger.url() + "/checkpoint")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Cosignature.Verifier local = Cosignature.parseVerifier(suite.witness().vkey());
        List<Cosignature.Verified> cosigners = Cosignature.cosigners(served, List.of(local));
        assertEquals(1, cosigners.size(), served);
        assertTrue(cosigners.get(0).timestamp() > 1_700_000_000L);
        List<String> configured = given().get(ledger.url() + "/api/v1/witnesses")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertEquals(List.of(local.vkey()), configured);

        String unknown = Cosignature.parseSigner(Cosignature.generateSignerKey("witness.example/unknown"))
                .verifier()
                .vkey();
        Verification one = verify(ledger, greg, "--witness", local.vkey(), "--witness-threshold", "1");
        assertEquals(0, one.exit(), one.output());
        assertTrue(one.output().contains("PASS witnesses: 1 of 1"), one.output());
        Verification two =
                verify(ledger, greg, "--witness", local.vkey(), "--witness", unknown, "--witness-threshold", "2");
        assertEquals(1, two.exit(), two.output());
        assertTrue(two.output().contains("FAIL witnesses"), two.output());
        assertTrue(two.output().contains("needs 2 of 2"), two.output());
    }

    @Test
    void regulatorsDownloadEntriesAsNdjsonAndUsageAsCsv(LocalSuite suite, Keycloak keycloak) throws Exception {
        Ledger ledger = new Ledger(suite, keycloak);
        List<Long> chain = ledger.appendChain("export-" + UUID.randomUUID(), 3);
        ledger.publishCheckpoint();
        String greg = keycloak.userToken("greg");

        Response ndjson = given().auth().oauth2(greg).get(ledger.url() + "/api/v1/export/entries.ndjson");
        assertEquals(200, ndjson.statusCode(), ndjson.asString());
        assertTrue(ndjson.contentType().startsWith("application/x-ndjson"), ndjson.contentType());
        long size = Long.parseLong(ndjson.header("X-Tree-Size"));
        String[] lines = ndjson.asString().split("\n");
        assertEquals(size, lines.length);
        long usage = chain.get(3);
        JsonNode line = JSON.readTree(lines[(int) usage]);
        assertEquals(usage, line.path("index").asLong());
        assertEquals("usage", line.path("type").asText());
        assertEquals(11, line.path("entry").path("inputTokens").asInt());
        String leaf = given().auth()
                .oauth2(greg)
                .get(ledger.url() + "/api/v1/entries/" + usage)
                .then()
                .statusCode(200)
                .extract()
                .path("leaf");
        assertEquals(leaf, line.path("leaf").asText());

        Response csv = given().auth().oauth2(greg).get(ledger.url() + "/api/v1/export/usage.csv");
        assertEquals(200, csv.statusCode(), csv.asString());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        List<String> rows = csv.asString().lines().toList();
        assertEquals("day,model,tier,calls,input_tokens,output_tokens", rows.get(0));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String row = rows.stream()
                .filter(r -> r.startsWith(today + ",sim-medium,2,"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for today, sim-medium, tier 2 in\n" + csv.asString()));
        String[] cells = row.split(",");
        assertTrue(Long.parseLong(cells[3]) >= 3, row);
        assertTrue(Long.parseLong(cells[4]) >= 10 + 11 + 12, row);

        String alice = keycloak.userToken("alice");
        given().auth()
                .oauth2(alice)
                .get(ledger.url() + "/api/v1/export/entries.ndjson")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(alice)
                .get(ledger.url() + "/api/v1/export/usage.csv")
                .then()
                .statusCode(403);
    }

    private record Verification(int exit, String output) {}

    private static Verification verify(Ledger ledger, String token, String... witnessOptions) {
        List<String> args = new java.util.ArrayList<>(
                List.of("--vkey", ledger.verifierKey(), "--url", ledger.url(), "--token", token));
        args.addAll(List.of(witnessOptions));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifierMain.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Verification(exit, out.toString(StandardCharsets.UTF_8));
    }
}
