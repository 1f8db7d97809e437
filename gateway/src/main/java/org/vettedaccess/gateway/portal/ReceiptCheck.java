package org.vettedaccess.gateway.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.vettedaccess.gateway.usage.OutboxRepository;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.core.SignedNote;

/**
 * Checks a researcher's receipt as {@code ledger-verifier receipt} does, here in the gateway with ledger-core: the
 * call's leaf (read from the ledger with the researcher's own token, so the ledger refuses another researcher's
 * leaf too), that it records the call as the receipt says, the first signed checkpoint that covers it, and the
 * leaf's inclusion proof against that checkpoint's root (docs/adr/0091-receipt-check-in-the-gateway.md); then that
 * every witness the ledger lists cosigned its newest checkpoint and that this extends the one the leaf is in, with
 * the regulator's page's own cosignature count ({@link CheckpointChecks#cosignatures}).
 */
@ApplicationScoped
public class ReceiptCheck {

    private final PortalClients services;
    private final ObjectMapper json;

    public ReceiptCheck(PortalClients services, ObjectMapper json) {
        this.services = services;
        this.json = json;
    }

    /** One step of the check: what was checked, whether it held, and how. */
    public record Step(String name, boolean passed, String detail) {}

    /**
     * The outcome. {@code verified} only if every step passed; {@code checkpointSize} and {@code signedAt} name
     * the checkpoint the leaf was proven in; {@code witnessedSize} the cosigned checkpoint that extends it (0 if not
     * read) and {@code witnesses} each listed witness's cosignature on it.
     */
    public record Result(
            OutboxRepository.CallReceipt receipt,
            boolean verified,
            List<Step> steps,
            Long index,
            long checkpointSize,
            Instant signedAt,
            String checkpointNote,
            String leafHash,
            String promptCommitment,
            List<String> proof,
            long witnessedSize,
            List<CheckpointChecks.WitnessCosignature> witnesses) {

        Result(
                OutboxRepository.CallReceipt receipt,
                boolean verified,
                List<Step> steps,
                Long index,
                long checkpointSize,
                Instant signedAt,
                String checkpointNote,
                String leafHash,
                String promptCommitment,
                List<String> proof) {
            this(
                    receipt,
                    verified,
                    steps,
                    index,
                    checkpointSize,
                    signedAt,
                    checkpointNote,
                    leafHash,
                    promptCommitment,
                    proof,
                    0,
                    List.of());
        }

        /** How many of the listed witnesses validly cosigned the checkpoint that extends the leaf's. */
        public long cosigned() {
            return witnesses.stream()
                    .filter(CheckpointChecks.WitnessCosignature::valid)
                    .count();
        }
    }

    /** The witness step, the cosigned checkpoint's size and each witness's cosignature. */
    private record Witnessing(Step step, long size, List<CheckpointChecks.WitnessCosignature> witnesses) {}

    public Result check(OutboxRepository.CallReceipt receipt) {
        List<Step> steps = new ArrayList<>();
        if (!"DELIVERED".equals(receipt.state()) || receipt.ledgerIndex() == null) {
            steps.add(new Step(
                    "receipt",
                    false,
                    "the call is " + receipt.state() + ", not yet in the log; the gateway delivers it within seconds"));
            return new Result(receipt, false, steps, null, 0, null, null, null, null, List.of());
        }
        long index = receipt.ledgerIndex();
        steps.add(new Step("receipt", true, "the gateway recorded this call as ledger index " + index));

        // The leaf: the bytes the tree hashes, and what they say.
        Map<String, Object> entry = services.entry(index);
        byte[] bytes = Base64.getDecoder().decode(String.valueOf(entry.get("leaf")));
        byte[] leafHash = Hashes.leaf(bytes);
        JsonNode leaf;
        try {
            leaf = json.readTree(bytes);
        } catch (IOException e) {
            steps.add(new Step("leaf", false, "the leaf at index " + index + " is not JSON"));
            return new Result(receipt, false, steps, index, 0, null, null, null, null, List.of());
        }
        List<String> differs = new ArrayList<>();
        if (!leaf.path("type").asText().equals("usage")) {
            differs.add("type " + leaf.path("type").asText());
        }
        compare(differs, "model", leaf, receipt.model());
        compare(differs, "inputTokens", leaf, String.valueOf(receipt.inputTokens()));
        compare(differs, "outputTokens", leaf, String.valueOf(receipt.outputTokens()));
        compare(differs, "status", leaf, receipt.status());
        steps.add(
                differs.isEmpty()
                        ? new Step(
                                "leaf",
                                true,
                                "index " + index + " is a usage of " + receipt.model() + ", " + receipt.inputTokens()
                                        + " + " + receipt.outputTokens() + " tokens, as the receipt says")
                        : new Step(
                                "leaf",
                                false,
                                "index " + index + " differs from the receipt: " + String.join(", ", differs)));
        String hash = Base64.getEncoder().encodeToString(leafHash);
        String commitment = leaf.path("promptCommitment").asText(null);

        // The first signed checkpoint that covers the leaf (they are signed on an interval).
        List<Map<String, Object>> covering = services.checkpoints(index + 1, 1);
        if (covering.isEmpty()) {
            steps.add(new Step(
                    "checkpoint",
                    false,
                    "no signed checkpoint covers index " + index + " yet; they are signed every few seconds"));
            return new Result(receipt, false, steps, index, 0, null, null, hash, commitment, List.of());
        }
        String note = String.valueOf(covering.get(0).get("note"));
        Instant signedAt = Instant.parse(String.valueOf(covering.get(0).get("signedAt")));
        Checkpoint checkpoint;
        try {
            checkpoint = open(note, services.verifierKeys());
        } catch (IllegalArgumentException e) {
            steps.add(new Step("checkpoint", false, "not signed by the ledger's key: " + e.getMessage()));
            return new Result(receipt, false, steps, index, 0, signedAt, note, hash, commitment, List.of());
        }
        steps.add(new Step("checkpoint", true, "tree size " + checkpoint.size() + ", signature valid"));

        // The leaf is in that tree.
        List<byte[]> hashes = new ArrayList<>();
        List<String> proof = new ArrayList<>();
        Object listed = services.inclusion(index, checkpoint.size()).get("hashes");
        if (listed instanceof List<?> items) {
            items.forEach(item -> {
                proof.add(String.valueOf(item));
                hashes.add(Base64.getDecoder().decode(String.valueOf(item)));
            });
        }
        boolean included = Arrays.equals(leafHash, Base64.getDecoder().decode(String.valueOf(entry.get("leafHash"))))
                && Proofs.verifyInclusion(index, checkpoint.size(), leafHash, hashes, checkpoint.rootHash());
        steps.add(new Step(
                "inclusion",
                included,
                included
                        ? "the leaf's inclusion proof (" + hashes.size()
                                + " hashes) verifies against the checkpoint's root"
                        : "the leaf's inclusion proof does not verify against the checkpoint's root"));
        // The witnesses saw a log that extends that tree: one log for everyone, not one made for this researcher.
        Witnessing witnessing = witnessing(checkpoint, services.verifierKeys());
        steps.add(witnessing.step());
        boolean verified = steps.stream().allMatch(Step::passed);
        return new Result(
                receipt,
                verified,
                steps,
                index,
                checkpoint.size(),
                signedAt,
                note,
                hash,
                commitment,
                proof,
                witnessing.size(),
                witnessing.witnesses());
    }

    /**
     * Reads the newest checkpoint with its cosignatures, checks the ledger's signature on it, that it extends
     * {@code covering} (the same tree or a consistency proof) and that every witness the ledger lists cosigned it.
     */
    private Witnessing witnessing(Checkpoint covering, List<String> ledgerKeys) {
        List<String> keys = services.witnesses();
        if (keys.isEmpty()) {
            return new Witnessing(
                    new Step(
                            "witnesses",
                            true,
                            "the ledger lists no witnesses: nobody outside the lab cosigned its checkpoints, so a"
                                    + " split view (another log shown to someone else) is not ruled out"),
                    0,
                    List.of());
        }
        String note = services.cosignedCheckpoint();
        Checkpoint latest;
        try {
            latest = open(note, ledgerKeys);
        } catch (IllegalArgumentException e) {
            return new Witnessing(
                    new Step("witnesses", false, "the cosigned checkpoint is not signed by the ledger's key"),
                    0,
                    List.of());
        }
        List<CheckpointChecks.WitnessCosignature> witnesses = CheckpointChecks.cosignatures(note, keys);
        // ledger-core's one rule (Checkpoint#isExtendedBy): the same tree, or a consistency proof that joins them.
        boolean extendsIt = covering.isExtendedBy(
                latest,
                () -> CheckpointChecks.hashes(
                        services.consistency(covering.size(), latest.size()).get("hashes")));
        List<String> valid = witnesses.stream()
                .filter(CheckpointChecks.WitnessCosignature::valid)
                .map(CheckpointChecks.WitnessCosignature::name)
                .toList();
        List<String> missing = witnesses.stream()
                .filter(w -> !w.valid())
                .map(CheckpointChecks.WitnessCosignature::name)
                .toList();
        String counted = valid.size() + " of " + keys.size() + " witness" + (keys.size() == 1 ? "" : "es");
        Step step;
        if (!extendsIt) {
            step = new Step(
                    "witnesses",
                    false,
                    "the cosigned checkpoint (size " + latest.size() + ") does NOT extend the checkpoint of size "
                            + covering.size() + " the leaf is in");
        } else if (!missing.isEmpty()) {
            step = new Step(
                    "witnesses",
                    false,
                    counted + " cosigned the newest checkpoint (size " + latest.size() + "); no valid cosignature by "
                            + String.join(", ", missing)
                            + " (cosigning can lag a checkpoint by a few seconds; reload)");
        } else {
            step = new Step(
                    "witnesses",
                    true,
                    counted + " (" + String.join(", ", valid) + ") cosigned the newest checkpoint (size "
                            + latest.size() + "), which extends the checkpoint of size " + covering.size()
                            + " the leaf is in");
        }
        return new Witnessing(step, latest.size(), witnesses);
    }

    private static void compare(List<String> differs, String field, JsonNode leaf, String expected) {
        String found = leaf.path(field).asText();
        if (!found.equals(expected)) {
            differs.add(field + " " + found + " (receipt: " + expected + ")");
        }
    }

    /** Opens the note with the current or a retired ledger key (old checkpoints keep their signer). */
    private static Checkpoint open(String note, List<String> keys) {
        List<String> errors = new ArrayList<>();
        for (String key : keys) {
            try {
                return Checkpoint.parse(SignedNote.open(note, NoteKeys.parseVerifier(key.strip())));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        throw new IllegalArgumentException(errors.isEmpty() ? "no key" : String.join("; ", errors));
    }
}
