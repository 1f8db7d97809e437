package org.vettedaccess.ledger.verifier.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.verifier.witness.TestLog;

/**
 * {@code receipt --witness}: a fake gateway and ledger (one HTTP server) serve a receipt, its leaf at index 3, a
 * checkpoint of size 5 with the leaf's inclusion proof, and a cosigned checkpoint of size 8 at {@code /checkpoint}
 * with the consistency proof from 5; the cosignature lines on it are what each test varies, and in the two fork tests
 * the cosigned checkpoint itself (validly signed by the log's key and cosigned by the pinned witness, but another tree).
 */
class ReceiptWitnessTest {

    private static final String ORIGIN = "test.example/log";
    private static final String ID = "req-1";
    private final NoteKeys.Signer logKey = NoteKeys.parseSigner(NoteKeys.generateSignerKey(ORIGIN));
    private final Cosignature.Signer w1 = Cosignature.parseSigner(Cosignature.generateSignerKey("witness.example/w1"));
    private final Cosignature.Signer w2 = Cosignature.parseSigner(Cosignature.generateSignerKey("witness.example/w2"));
    private final Map<String, String> routes = new HashMap<>();
    private final String checkpoint8;
    private final String body8;
    private HttpServer server;

    ReceiptWitnessTest() {
        TestLog log = new TestLog(logKey, "a").grow(3);
        byte[] leaf = "{\"type\":\"usage\",\"model\":\"m\",\"inputTokens\":3,\"outputTokens\":4,\"status\":\"200\"}"
                .getBytes(StandardCharsets.UTF_8);
        log.append(leaf);
        log.grow(1);
        routes.put(
                "/api/v1/usage/calls/" + ID,
                "{\"state\":\"DELIVERED\",\"ledgerIndex\":3,\"model\":\"m\",\"inputTokens\":3,\"outputTokens\":4,"
                        + "\"status\":\"200\"}");
        routes.put("/api/v1/entries/3", "{\"leaf\":\"" + Base64.getEncoder().encodeToString(leaf) + "\"}");
        routes.put("/api/v1/checkpoint", log.checkpoint());
        routes.put("/api/v1/proofs/inclusion", hashes(log.inclusion(3)));
        log.grow(3);
        checkpoint8 = log.checkpoint();
        body8 = checkpoint8.substring(0, checkpoint8.indexOf("\n\n") + 1);
        routes.put("/api/v1/proofs/consistency", hashes(log.proof(5)));
        routes.put("/checkpoint", checkpoint8);
    }

    private static String hashes(List<byte[]> hashes) {
        return "{\"hashes\":["
                + hashes.stream()
                        .map(h -> "\"" + Base64.getEncoder().encodeToString(h) + "\"")
                        .collect(Collectors.joining(","))
                + "]}";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private record Run(int code, String out) {}

    private Run receipt(String cosignedCheckpoint, String... extra) throws Exception {
        routes.put("/checkpoint", cosignedCheckpoint);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String answer = routes.get(exchange.getRequestURI().getPath());
            byte[] bytes = (answer == null ? "not found" : answer).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        List<String> args = new ArrayList<>(List.of(
                ID,
                "--gateway",
                url,
                "--ledger",
                url,
                "--token",
                "t",
                "--vkey",
                logKey.verifier().vkey(),
                "--wait-s",
                "0"));
        args.addAll(List.of(extra));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code =
                ReceiptCommand.run(args.toArray(String[]::new), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(code, bytes.toString(StandardCharsets.UTF_8));
    }

    private String cosigned(Cosignature.Signer... witnesses) {
        return cosigned(checkpoint8, witnesses);
    }

    /** {@code checkpoint} with each witness's valid cosignature line on its body. */
    private static String cosigned(String checkpoint, Cosignature.Signer... witnesses) {
        String body = checkpoint.substring(0, checkpoint.indexOf("\n\n") + 1);
        StringBuilder note = new StringBuilder(checkpoint);
        for (Cosignature.Signer witness : witnesses) {
            note.append(Cosignature.sign(body, witness, 1_700_000_000L));
        }
        return note.toString();
    }

    @Test
    void aWitnessThatCosignedAForkOfTheSameSizeFailsTheWitnessStep() throws Exception {
        // The log's own key signed another tree of size 5 (other leaves), and the pinned witness cosigned it: valid
        // signatures all round, but not the tree the researcher's leaf is in. A split view, caught.
        String fork = new TestLog(logKey, "fork").grow(5).checkpoint();
        Run run = receipt(cosigned(fork, w1), "--witness", w1.verifier().vkey());
        assertEquals(1, run.code(), run.out());
        assertTrue(
                run.out()
                        .contains("FAIL witnesses: the cosigned checkpoint (size 5) does NOT extend the checkpoint"
                                + " of size 5 the leaf is in"),
                run.out());
        assertTrue(run.out().contains("PASS inclusion"), run.out());
        assertTrue(run.out().contains("RECEIPT NOT VERIFIED"), run.out());
    }

    @Test
    void aWitnessThatCosignedALargerTreeNotConsistentWithTheLeafsFailsTheWitnessStep() throws Exception {
        // A tree of size 8 that does not extend the leaf's tree of size 5; the ledger serves the fork's own
        // consistency proof from 5, which joins the fork's prefix, not the leaf's checkpoint.
        TestLog forked = new TestLog(logKey, "fork").grow(8);
        routes.put("/api/v1/proofs/consistency", hashes(forked.proof(5)));
        Run run = receipt(
                cosigned(forked.checkpoint(), w1), "--witness", w1.verifier().vkey());
        assertEquals(1, run.code(), run.out());
        assertTrue(
                run.out()
                        .contains("FAIL witnesses: the cosigned checkpoint (size 8) does NOT extend the checkpoint"
                                + " of size 5 the leaf is in"),
                run.out());
        assertTrue(run.out().contains("RECEIPT NOT VERIFIED"), run.out());
    }

    @Test
    void withoutWitnessesTheCheckIsUnchanged() throws Exception {
        Run run = receipt(checkpoint8);
        assertEquals(0, run.code(), run.out());
        assertFalse(run.out().contains("witnesses"), run.out());
        assertTrue(run.out().contains("RECEIPT VERIFIED"), run.out());
    }

    @Test
    void aPinnedWitnessThatCosignedVerifies() throws Exception {
        Run run = receipt(cosigned(w1), "--witness", w1.verifier().vkey());
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("PASS witnesses: 1 of 1 trusted witnesses cosigned"), run.out());
        assertTrue(run.out().contains("extends the checkpoint of size 5"), run.out());
    }

    @Test
    void aForgedCosignatureFails() throws Exception {
        // w1's own key, over another checkpoint body: the line claims w1 but does not verify on this one.
        String forged = checkpoint8 + Cosignature.sign(body8.replace("\n8\n", "\n9\n"), w1, 1_700_000_000L);
        Run run = receipt(forged, "--witness", w1.verifier().vkey());
        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains("FAIL witnesses: the newest checkpoint has 0 valid cosignature(s)"), run.out());
        assertTrue(run.out().contains("RECEIPT NOT VERIFIED"), run.out());
    }

    @Test
    void aMissingOrWrongKeyCosignatureFails() throws Exception {
        Run missing = receipt(checkpoint8, "--witness", w1.verifier().vkey());
        assertEquals(1, missing.code(), missing.out());
        assertTrue(missing.out().contains("FAIL witnesses"), missing.out());
        stop();
        // Cosigned, but by a witness nobody pinned.
        Run wrongKey = receipt(cosigned(w2), "--witness", w1.verifier().vkey());
        assertEquals(1, wrongKey.code(), wrongKey.out());
        assertTrue(wrongKey.out().contains("FAIL witnesses"), wrongKey.out());
    }

    @Test
    void oneOfTwoPinnedWitnessesMeetsAThresholdOfOne() throws Exception {
        Run run = receipt(
                cosigned(w1),
                "--witness",
                w1.verifier().vkey(),
                "--witness",
                w2.verifier().vkey(),
                "--witness-threshold",
                "1");
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("PASS witnesses: 1 of 2 trusted witnesses cosigned"), run.out());
        stop();
        // The default threshold is all pinned witnesses: one of two is not enough.
        Run all = receipt(
                cosigned(w1),
                "--witness",
                w1.verifier().vkey(),
                "--witness",
                w2.verifier().vkey());
        assertEquals(1, all.code(), all.out());
        assertTrue(all.out().contains("the policy needs 2 of 2"), all.out());
    }
}
