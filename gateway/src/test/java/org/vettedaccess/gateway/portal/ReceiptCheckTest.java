package org.vettedaccess.gateway.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vettedaccess.gateway.usage.OutboxRepository;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.SignedNote;

/**
 * The receipt check over a real two-leaf tree signed with a real note key and cosigned with a real witness key: a
 * receipt that matches its leaf is verified; a leaf that says something else, a checkpoint signed by another key, a
 * proof for another tree, or a cosignature that is forged, missing or on a fork of the log is not.
 */
class ReceiptCheckTest {

    private static final UUID CALL = UUID.fromString("6f1f3c1e-0d7a-4c55-9d2b-9a9d8a7f0c01");
    private static final OutboxRepository.CallReceipt RECEIPT =
            new OutboxRepository.CallReceipt(CALL, "sim-a", "DELIVERED", 1L, 4, 8, "ok");

    private final NoteKeys.Signer ledgerKey = NoteKeys.parseSigner(NoteKeys.generateSignerKey("ledger.test"));
    private final Cosignature.Signer witnessKey =
            Cosignature.parseSigner(Cosignature.generateSignerKey("witness.test"));
    private final byte[] first = "{\"type\":\"grant.issued\"}".getBytes(StandardCharsets.UTF_8);
    private final byte[] leaf = ("{\"type\":\"usage\",\"model\":\"sim-a\",\"inputTokens\":4,\"outputTokens\":8,"
                    + "\"status\":\"ok\",\"promptCommitment\":\"abc\"}")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aReceiptThatMatchesItsLeafInTheSignedTreeIsVerified() {
        ReceiptCheck.Result result = check(leaf, ledgerKey, RECEIPT);
        assertTrue(result.verified(), result.steps().toString());
        assertEquals(1L, result.index());
        assertEquals(2, result.checkpointSize());
        assertEquals(Instant.parse("2026-12-02T03:00:00Z"), result.signedAt());
        assertEquals("abc", result.promptCommitment());
        assertEquals(1, result.proof().size());
    }

    @Test
    void aLeafThatRecordsOtherTokensIsNotVerified() {
        OutboxRepository.CallReceipt claimed =
                new OutboxRepository.CallReceipt(CALL, "sim-a", "DELIVERED", 1L, 4, 7, "ok");
        ReceiptCheck.Result result = check(leaf, ledgerKey, claimed);
        assertFalse(result.verified());
        assertTrue(
                step(result, "leaf").detail().contains("outputTokens 8 (receipt: 7)"),
                result.steps().toString());
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsNotVerified() {
        NoteKeys.Signer other = NoteKeys.parseSigner(NoteKeys.generateSignerKey("ledger.test"));
        ReceiptCheck.Result result = check(leaf, other, RECEIPT);
        assertFalse(result.verified());
        assertFalse(step(result, "checkpoint").passed());
    }

    @Test
    void aLeafNotInTheSignedTreeIsNotVerified() {
        // The ledger answers with other bytes than the tree holds (the root was computed over the real leaf).
        byte[] swapped = new String(leaf, StandardCharsets.UTF_8)
                .replace("\"abc\"", "\"abd\"")
                .getBytes(StandardCharsets.UTF_8);
        ReceiptCheck.Result result = check(swapped, ledgerKey, RECEIPT, leaf);
        assertFalse(result.verified());
        assertFalse(step(result, "inclusion").passed());
    }

    @Test
    void theWitnessesCosignatureOnTheLeafsCheckpointIsCountedAndShown() {
        ReceiptCheck.Result result = check(leaf, ledgerKey, RECEIPT);
        assertTrue(step(result, "witnesses").passed(), result.steps().toString());
        assertTrue(step(result, "witnesses").detail().startsWith("1 of 1 witness (witness.test)"));
        assertEquals(1, result.cosigned());
        assertEquals(2, result.witnessedSize());
        assertEquals(
                Instant.ofEpochSecond(1_796_000_000L), result.witnesses().get(0).cosignedAt());
    }

    @Test
    void aForgedCosignatureIsNotCounted() {
        String note = signed(2, root(leaf));
        String line = cosignature(note, witnessKey);
        // The witness's name and key id, and a signature byte flipped: what a lab without the witness's key can make.
        byte[] blob = Base64.getDecoder().decode(line.strip().split(" ")[2]);
        blob[blob.length - 1] ^= 1;
        String forged = "\u2014 witness.test " + Base64.getEncoder().encodeToString(blob) + "\n";
        ReceiptCheck.Result result = check(leaf, note, RECEIPT, note + forged, Map.of());
        assertFalse(result.verified(), result.steps().toString());
        assertFalse(step(result, "witnesses").passed());
        assertTrue(step(result, "witnesses").detail().contains("no valid cosignature by witness.test"));
        assertEquals(0, result.cosigned());
    }

    @Test
    void aCosignatureByAnotherKeyUnderTheWitnesssNameIsNotCounted() {
        String note = signed(2, root(leaf));
        Cosignature.Signer impostor = Cosignature.parseSigner(Cosignature.generateSignerKey("witness.test"));
        ReceiptCheck.Result result = check(leaf, note, RECEIPT, note + cosignature(note, impostor), Map.of());
        assertFalse(result.verified(), result.steps().toString());
        assertEquals(0, result.cosigned());
    }

    @Test
    void aMissingCosignatureIsNotVerified() {
        String note = signed(2, root(leaf));
        ReceiptCheck.Result result = check(leaf, note, RECEIPT, note, Map.of());
        assertFalse(result.verified(), result.steps().toString());
        assertTrue(step(result, "witnesses").detail().startsWith("0 of 1 witness cosigned"));
    }

    @Test
    void aCosignedForkOfTheSameSizeIsNotVerified() {
        // The witness cosigned a tree of the same size with another second leaf: not the tree the leaf is in.
        String note = signed(2, root(leaf));
        String fork = signed(2, root("{\"type\":\"usage\"}".getBytes(StandardCharsets.UTF_8)));
        ReceiptCheck.Result result = check(leaf, note, RECEIPT, fork + cosignature(fork, witnessKey), Map.of());
        assertFalse(result.verified(), result.steps().toString());
        assertTrue(step(result, "witnesses").detail().contains("does NOT extend the checkpoint of size 2"));
    }

    @Test
    void aLaterCosignedCheckpointCountsOnlyWithAConsistencyProof() {
        String note = signed(2, root(leaf));
        byte[] third = "{\"type\":\"key.created\"}".getBytes(StandardCharsets.UTF_8);
        String later = signed(3, Hashes.node(root(leaf), Hashes.leaf(third)));
        String cosigned = later + cosignature(later, witnessKey);
        String proof = Base64.getEncoder().encodeToString(Hashes.leaf(third));
        ReceiptCheck.Result extended = check(leaf, note, RECEIPT, cosigned, Map.of("hashes", List.of(proof)));
        assertTrue(extended.verified(), extended.steps().toString());
        assertEquals(3, extended.witnessedSize());
        String wrong = Base64.getEncoder().encodeToString(Hashes.leaf(first));
        ReceiptCheck.Result unproven = check(leaf, note, RECEIPT, cosigned, Map.of("hashes", List.of(wrong)));
        assertFalse(unproven.verified(), unproven.steps().toString());
        assertTrue(step(unproven, "witnesses").detail().contains("does NOT extend"));
    }

    private String signed(long size, byte[] root) {
        return SignedNote.sign(new Checkpoint("ledger.test", size, root).body(), ledgerKey);
    }

    @Test
    void aCallNotYetDeliveredIsNotVerifiedAndNothingIsRead() {
        OutboxRepository.CallReceipt ready = new OutboxRepository.CallReceipt(CALL, "sim-a", "READY", null, 4, 8, "ok");
        ReceiptCheck.Result result =
                new ReceiptCheck(new PortalClients(null, null, null), new ObjectMapper()).check(ready);
        assertFalse(result.verified());
        assertTrue(step(result, "receipt").detail().contains("READY"));
    }

    private ReceiptCheck.Result check(byte[] served, NoteKeys.Signer signer, OutboxRepository.CallReceipt receipt) {
        return check(served, signer, receipt, served);
    }

    /** {@code served} is what the ledger answers for the leaf; {@code inTree} is what the signed tree holds. */
    private ReceiptCheck.Result check(
            byte[] served, NoteKeys.Signer signer, OutboxRepository.CallReceipt receipt, byte[] inTree) {
        String note = SignedNote.sign(new Checkpoint("ledger.test", 2, root(inTree)).body(), signer);
        return check(served, note, receipt, note + cosignature(note, witnessKey), Map.of());
    }

    /** The ledger serves {@code note} as the leaf's checkpoint and {@code cosigned} as its newest, cosigned one. */
    private ReceiptCheck.Result check(
            byte[] served,
            String note,
            OutboxRepository.CallReceipt receipt,
            String cosigned,
            Map<String, Object> consistency) {
        String vkey = ledgerKey.verifier().vkey();
        Base64.Encoder b64 = Base64.getEncoder();
        byte[] firstHash = Hashes.leaf(first);
        LedgerPortalApi ledger = new FakeLedger() {
            @Override
            public Map<String, Object> entry(long index) {
                return Map.of("leaf", b64.encodeToString(served), "leafHash", b64.encodeToString(Hashes.leaf(served)));
            }

            @Override
            public List<Map<String, Object>> checkpoints(Long fromSize, Integer limit) {
                return List.of(Map.of("treeSize", 2, "note", note, "signedAt", "2026-12-02T03:00:00Z"));
            }

            @Override
            public List<String> publicKeys() {
                return List.of(vkey);
            }

            @Override
            public Map<String, Object> inclusion(long index, long treeSize) {
                return Map.of("hashes", List.of(b64.encodeToString(firstHash)));
            }

            @Override
            public List<String> witnesses() {
                return List.of(witnessKey.verifier().vkey());
            }

            @Override
            public String cosignedCheckpoint() {
                return cosigned;
            }

            @Override
            public Map<String, Object> consistency(long from, long to) {
                return consistency;
            }
        };
        return new ReceiptCheck(new PortalClients(null, null, ledger), new ObjectMapper()).check(receipt);
    }

    /** The root of the two-leaf tree: the first leaf, then {@code second}. */
    private byte[] root(byte[] second) {
        return Hashes.node(Hashes.leaf(first), Hashes.leaf(second));
    }

    /** {@code signer}'s cosignature/v1 line on a signed note's checkpoint body. */
    private static String cosignature(String note, Cosignature.Signer signer) {
        return Cosignature.sign(note.substring(0, note.lastIndexOf("\n\n") + 1), signer, 1_796_000_000L);
    }

    private static ReceiptCheck.Step step(ReceiptCheck.Result result, String name) {
        return result.steps().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** The ledger's portal API, answering nothing but what a test overrides. */
    private abstract static class FakeLedger implements LedgerPortalApi {
        @Override
        public Map<String, Object> entries(
                String type, String model, String subject, String from, String to, Long after, Integer limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String checkpoint() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String publicKey() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Object> conformance(Long from, Long to, String since, String until) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream export() {
            throw new UnsupportedOperationException();
        }
    }
}
