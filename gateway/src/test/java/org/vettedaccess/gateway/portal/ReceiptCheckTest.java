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
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.SignedNote;

/**
 * The receipt check over a real two-leaf tree signed with a real note key: a receipt that matches its leaf is
 * verified; a leaf that says something else, a checkpoint signed by another key, or a proof for another tree is not.
 */
class ReceiptCheckTest {

    private static final UUID CALL = UUID.fromString("6f1f3c1e-0d7a-4c55-9d2b-9a9d8a7f0c01");
    private static final OutboxRepository.CallReceipt RECEIPT =
            new OutboxRepository.CallReceipt(CALL, "sim-a", "DELIVERED", 1L, 4, 8, "ok");

    private final NoteKeys.Signer ledgerKey = NoteKeys.parseSigner(NoteKeys.generateSignerKey("ledger.test"));
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
        byte[] firstHash = Hashes.leaf(first);
        byte[] root = Hashes.node(firstHash, Hashes.leaf(inTree));
        String note = SignedNote.sign(new Checkpoint("ledger.test", 2, root).body(), signer);
        String vkey = ledgerKey.verifier().vkey();
        Base64.Encoder b64 = Base64.getEncoder();
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
        };
        return new ReceiptCheck(new PortalClients(null, null, ledger), new ObjectMapper()).check(receipt);
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
        public List<String> witnesses() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String cosignedCheckpoint() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Object> consistency(long from, long to) {
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
