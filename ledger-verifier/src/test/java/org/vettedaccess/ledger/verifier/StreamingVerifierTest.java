package org.vettedaccess.ledger.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.verifier.cli.VerifierMain;
import org.vettedaccess.ledger.verifier.witness.TestLog;
import org.vettedaccess.ledger.verifier.witness.WitnessPolicy;

class StreamingVerifierTest {

    private final NoteKeys.Signer logKey = NoteKeys.parseSigner(NoteKeys.generateSignerKey("test.example/log"));
    private final Cosignature.Signer witness =
            Cosignature.parseSigner(Cosignature.generateSignerKey("witness.example/w1"));
    private final ObjectMapper json = new ObjectMapper();

    /** A version 2 bundle of {@code leaves}, with checkpoints at {@code sizes}; the newest cosigned by the witness. */
    private byte[] bundle(List<byte[]> leaves, long... sizes) throws Exception {
        TestLog log = new TestLog(logKey, "x");
        ObjectNode bundle = json.createObjectNode().put("format", StreamingVerifier.FORMAT);
        ArrayNode checkpoints = bundle.putArray("checkpoints");
        int next = 0;
        for (long size : sizes) {
            while (log.size() < size) {
                log.append(leaves.get(next++));
            }
            String note = log.checkpoint();
            String body = note.substring(0, note.indexOf("\n\n") + 1);
            checkpoints.add(note + Cosignature.sign(body, witness, 1_700_000_000L));
        }
        bundle.put("treeSize", sizes[sizes.length - 1]);
        ArrayNode entries = bundle.putArray("entries");
        for (int i = 0; i < sizes[sizes.length - 1]; i++) {
            entries.addObject().put("index", i).put("leaf", Base64.getEncoder().encodeToString(leaves.get(i)));
        }
        return json.writeValueAsBytes(bundle);
    }

    private static List<byte[]> leaves(int count) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(("{\"i\":" + i + ",\"type\":\"note\"}").getBytes(StandardCharsets.UTF_8));
        }
        return leaves;
    }

    private Report verify(byte[] bundle, int threshold, Cosignature.Verifier... witnesses) throws Exception {
        Optional<WitnessPolicy> policy = witnesses.length == 0
                ? Optional.empty()
                : Optional.of(new WitnessPolicy(List.of(witnesses), threshold));
        return new StreamingVerifier(List.of(logKey.verifier()), policy)
                .verify(new ByteArrayInputStream(bundle), Optional.empty());
    }

    @Test
    void aCleanBundleVerifiesAndAnEditedEntryIsLocatedBetweenCheckpoints() throws Exception {
        List<byte[]> leaves = leaves(300);
        byte[] clean = bundle(leaves, 10, 100, 300);
        Report report = verify(clean, 1, witness.verifier());
        assertTrue(report.passed(), report.checks().toString());

        // The log signed index 150 as it was; the bundle now carries other bytes for it.
        List<byte[]> edited = new ArrayList<>(leaves);
        byte[] bundle = bundle(leaves, 10, 100, 300);
        String text = new String(bundle, StandardCharsets.UTF_8)
                .replace(
                        Base64.getEncoder().encodeToString(leaves.get(150)),
                        Base64.getEncoder()
                                .encodeToString("{\"i\":150,\"type\":\"forged\"}".getBytes(StandardCharsets.UTF_8)));
        Report tampered = verify(text.getBytes(StandardCharsets.UTF_8), 1, witness.verifier());
        assertFalse(tampered.passed());
        assertTrue(
                tampered.failures().toString().contains("index range 100..299"),
                tampered.failures().toString());
        assertEquals(300, edited.size());
    }

    @Test
    void aMissingEntryIsNamed() throws Exception {
        String text = new String(bundle(leaves(20), 20), StandardCharsets.UTF_8)
                .replace(
                        "{\"index\":7,\"leaf\":\""
                                + Base64.getEncoder().encodeToString(leaves(20).get(7)) + "\"},",
                        "");
        Report report = verify(text.getBytes(StandardCharsets.UTF_8), 1, witness.verifier());
        assertTrue(
                report.failures().toString().contains("missing index 7"),
                report.failures().toString());
    }

    @Test
    void fewerThanKCosignaturesFail() throws Exception {
        Cosignature.Verifier unknown =
                Cosignature.parseVerifier(Cosignature.parseSigner(Cosignature.generateSignerKey("witness.example/w9"))
                        .verifier()
                        .vkey());
        byte[] bundle = bundle(leaves(5), 5);
        assertTrue(verify(bundle, 1, witness.verifier(), unknown).passed());
        Report two = verify(bundle, 2, witness.verifier(), unknown);
        assertFalse(two.passed());
        assertTrue(
                two.failures().toString().contains("needs 2 of 2"),
                two.failures().toString());
    }

    @Test
    void theCliPicksTheFormatAndKeepsVerifyingVersion1Bundles() throws Exception {
        Path file = Files.createTempFile("bundle", ".json");
        Files.write(file, bundle(leaves(12), 4, 12));
        assertEquals(
                0,
                cli(
                        "--vkey",
                        logKey.verifier().vkey(),
                        "--bundle",
                        file.toString(),
                        "--witness",
                        witness.verifier().vkey()));
        Cosignature.Verifier unknown = Cosignature.parseSigner(Cosignature.generateSignerKey("witness.example/w9"))
                .verifier();
        assertEquals(
                1,
                cli(
                        "--vkey",
                        logKey.verifier().vkey(),
                        "--bundle",
                        file.toString(),
                        "--witness",
                        witness.verifier().vkey(),
                        "--witness",
                        unknown.vkey(),
                        "--witness-threshold",
                        "2"));

        // Version 1: an inclusion proof per entry, checked by the original verifier.
        TestLog log = new TestLog(logKey, "v1");
        ObjectNode v1 = json.createObjectNode();
        List<byte[]> leaves = leaves(6);
        leaves.forEach(log::append);
        v1.putArray("checkpoints").add(log.checkpoint());
        ArrayNode entries = v1.putArray("entries");
        for (int i = 0; i < 6; i++) {
            ArrayNode inclusion = entries.addObject()
                    .put("index", i)
                    .put("leaf", Base64.getEncoder().encodeToString(leaves.get(i)))
                    .putArray("inclusion");
            log.inclusion(i).forEach(h -> inclusion.add(Base64.getEncoder().encodeToString(h)));
        }
        v1.putArray("consistency");
        Files.write(file, json.writeValueAsBytes(v1));
        assertEquals(0, cli("--vkey", logKey.verifier().vkey(), "--bundle", file.toString()));
    }

    private static int cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = VerifierMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
        System.out.println(out.toString(StandardCharsets.UTF_8));
        return code;
    }
}
