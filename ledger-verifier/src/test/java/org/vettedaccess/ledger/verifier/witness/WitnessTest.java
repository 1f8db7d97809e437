package org.vettedaccess.ledger.verifier.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.WitnessRequest;

class WitnessTest {

    private static final String ORIGIN = "test.example/log";
    private final NoteKeys.Signer logKey = NoteKeys.parseSigner(NoteKeys.generateSignerKey(ORIGIN));
    private final Cosignature.Signer witnessKey =
            Cosignature.parseSigner(Cosignature.generateSignerKey("witness.example/w1"));

    private Witness witness(Path state) {
        return new Witness(
                witnessKey, Map.of(ORIGIN, List.of(logKey.verifier())), new WitnessState(state), Clock.systemUTC());
    }

    private static String request(long old, List<byte[]> proof, String checkpoint) {
        return new WitnessRequest(old, proof, checkpoint).body();
    }

    @Test
    void cosignsAnExtensionAndRefusesForksAndRollbacks() throws Exception {
        Path state = Files.createTempDirectory("witness").resolve("state.json");
        Witness witness = witness(state);
        TestLog log = new TestLog(logKey, "a").grow(10);

        Witness.Answer first = witness.addCheckpoint(request(0, List.of(), log.checkpoint()));
        assertEquals(200, first.status(), first.body());
        String body = Checkpoint.parse(
                        log.checkpoint().substring(0, log.checkpoint().indexOf("\n\n") + 1))
                .body();
        assertTrue(Cosignature.verify(body, first.body(), witnessKey.verifier()).isPresent());

        log.grow(7);
        Witness.Answer extended = witness.addCheckpoint(request(10, log.proof(10), log.checkpoint()));
        assertEquals(200, extended.status(), extended.body());

        // A fork: a different tree of the same size, 17, with the old size the witness holds.
        TestLog fork = new TestLog(logKey, "b").grow(17);
        Witness.Answer forked = witness.addCheckpoint(request(17, List.of(), fork.checkpoint()));
        assertEquals(422, forked.status(), forked.body());
        assertTrue(forked.body().contains("fork"), forked.body());
        // The same fork claiming to start afresh: 409 and the size the witness holds, in the spec's content type.
        Witness.Answer fresh = witness.addCheckpoint(request(0, List.of(), fork.checkpoint()));
        assertEquals(409, fresh.status());
        assertEquals("text/x.tlog.size", fresh.contentType());
        assertEquals("17\n", fresh.body());
        // A bigger tree that does not extend the cosigned one: its own proof from 17 does not verify against it.
        fork.grow(5);
        Witness.Answer notExtending = witness.addCheckpoint(request(17, fork.proof(17), fork.checkpoint()));
        assertEquals(422, notExtending.status(), notExtending.body());
        // A rollback to an older size.
        TestLog older = new TestLog(logKey, "a").grow(10);
        assertEquals(
                409,
                witness.addCheckpoint(request(10, List.of(), older.checkpoint()))
                        .status());

        // The recorded size survives a restart: a new witness on the same file still holds 17.
        Witness restarted = witness(state);
        assertEquals(
                "17\n",
                restarted
                        .addCheckpoint(request(0, List.of(), fork.checkpoint()))
                        .body());
        assertTrue(restarted.latestCosigned(ORIGIN).contains("witness.example/w1"));
    }

    @Test
    void refusesUnknownLogsBadSignaturesAndBadRequests() throws Exception {
        Witness witness = witness(Files.createTempDirectory("witness").resolve("state.json"));
        TestLog log = new TestLog(logKey, "a").grow(3);
        NoteKeys.Signer stranger = NoteKeys.parseSigner(NoteKeys.generateSignerKey("other.example/log"));
        assertEquals(
                404,
                witness.addCheckpoint(request(
                                0, List.of(), new TestLog(stranger, "x").grow(1).checkpoint()))
                        .status());
        NoteKeys.Signer impostor = NoteKeys.parseSigner(NoteKeys.generateSignerKey(ORIGIN));
        assertEquals(
                403,
                witness.addCheckpoint(request(
                                0, List.of(), new TestLog(impostor, "a").grow(3).checkpoint()))
                        .status());
        assertEquals(
                400,
                witness.addCheckpoint(request(5, List.of(), log.checkpoint())).status());
        assertEquals(400, witness.addCheckpoint("hello\n\n" + log.checkpoint()).status());
        assertEquals(
                422,
                witness.addCheckpoint(request(0, log.proof(1), log.checkpoint()))
                        .status());
        assertNull(witness.latestCosigned(ORIGIN));
    }

    @Test
    void aPolicyNeedsKDistinctTrustedCosignatures() {
        TestLog log = new TestLog(logKey, "a").grow(4);
        Cosignature.Signer second = Cosignature.parseSigner(Cosignature.generateSignerKey("witness.example/w2"));
        String note = log.checkpoint();
        String body = note.substring(0, note.indexOf("\n\n") + 1);
        String cosignedOnce = note + Cosignature.sign(body, witnessKey, 1_700_000_000L);
        List<Cosignature.Verifier> both = List.of(witnessKey.verifier(), second.verifier());
        assertNull(new WitnessPolicy(both, 1).check(cosignedOnce));
        assertTrue(new WitnessPolicy(both, 2).check(cosignedOnce).contains("1 valid cosignature"));
        // The same witness twice counts once; a line claiming w2's key with w1's signature does not count.
        String doubled = cosignedOnce + Cosignature.sign(body, witnessKey, 1_700_000_001L);
        String forged = cosignedOnce
                + Cosignature.sign(body, witnessKey, 1_700_000_002L)
                        .replace("witness.example/w1", "witness.example/w2");
        assertTrue(new WitnessPolicy(both, 2).check(doubled) != null);
        assertTrue(new WitnessPolicy(both, 2).check(forged) != null);
        String cosignedTwice = cosignedOnce + Cosignature.sign(body, second, 1_700_000_003L);
        assertNull(new WitnessPolicy(both, 2).check(cosignedTwice));
        // A cosignature over another checkpoint body does not count for this one.
        String other = new TestLog(logKey, "b").grow(4).checkpoint();
        assertTrue(
                new WitnessPolicy(both, 1).check(other + Cosignature.sign(body, witnessKey, 1_700_000_000L)) != null);
    }

    @Test
    void speaksTheProtocolOverHttp() throws Exception {
        Path dir = Files.createTempDirectory("witness");
        try (WitnessServer server = WitnessMain.start(
                dir.resolve("key"),
                "witness.example/http",
                List.of(logKey.verifier().vkey()),
                dir.resolve("state"),
                "127.0.0.1",
                0)) {
            TestLog log = new TestLog(logKey, "a").grow(5);
            HttpClient http = HttpClient.newHttpClient();
            URI add = URI.create("http://127.0.0.1:" + server.port() + "/add-checkpoint");
            HttpResponse<String> ok = http.send(
                    HttpRequest.newBuilder(add)
                            .POST(HttpRequest.BodyPublishers.ofString(request(0, List.of(), log.checkpoint())))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(ok.body().startsWith("\u2014 witness.example/http "), ok.body());
            HttpResponse<String> conflict = http.send(
                    HttpRequest.newBuilder(add)
                            .POST(HttpRequest.BodyPublishers.ofString(request(0, List.of(), log.checkpoint())))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(409, conflict.statusCode());
            assertEquals(
                    "text/x.tlog.size",
                    conflict.headers().firstValue("Content-Type").orElse(""));
            HttpResponse<String> monitored = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"
                                    + WitnessServer.originHash(ORIGIN) + "/checkpoint"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, monitored.statusCode());
            assertTrue(new WitnessPolicy(List.of(server.verifier()), 1).check(monitored.body()) == null);
        }
    }
}
