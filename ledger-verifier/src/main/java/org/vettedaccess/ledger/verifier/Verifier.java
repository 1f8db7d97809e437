package org.vettedaccess.ledger.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.CompactRange;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.core.SignedNote;

/**
 * Checks an export bundle against keys the regulator trusts, and optionally a checkpoint they held from before.
 * It trusts nothing else in the bundle: it recomputes the tree from the leaf bytes, and checks every signature,
 * inclusion proof, consistency proof, and the chain from usage to grant to KYC decision.
 */
public final class Verifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NAMED = 20;

    private final List<NoteKeys.Verifier> trusted;

    public Verifier(List<NoteKeys.Verifier> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    public Report verify(JsonNode bundle, Optional<String> heldCheckpoint) {
        Report report = new Report();
        // 1. Signatures: the newest checkpoint fixes the tree the bundle claims.
        List<Checkpoint> checkpoints = new ArrayList<>();
        List<String> badSignatures = new ArrayList<>();
        for (JsonNode note : bundle.path("checkpoints")) {
            try {
                checkpoints.add(open(note.asText()));
            } catch (IllegalArgumentException e) {
                badSignatures.add(e.getMessage());
            }
        }
        if (checkpoints.isEmpty() || !badSignatures.isEmpty()) {
            report.fail(
                    "signatures",
                    checkpoints.isEmpty() ? "no checkpoint signed by a trusted key" : String.join("; ", badSignatures));
            return report;
        }
        report.pass("signatures", checkpoints.size() + " checkpoint(s) signed by a trusted key");
        Checkpoint newest = checkpoints.get(checkpoints.size() - 1);
        long size = newest.size();

        // 2. Completeness: every index [0, size) exactly once.
        Map<Long, byte[]> leaves = new TreeMap<>();
        Map<Long, List<byte[]>> inclusions = new HashMap<>();
        List<Long> duplicates = new ArrayList<>();
        for (JsonNode entry : bundle.path("entries")) {
            long index = entry.path("index").asLong(-1);
            if (leaves.put(index, Base64.getDecoder().decode(entry.path("leaf").asText())) != null) {
                duplicates.add(index);
            }
            inclusions.put(index, hashes(entry.path("inclusion")));
        }
        List<Long> missing = new ArrayList<>();
        for (long i = 0; i < size && missing.size() <= MAX_NAMED; i++) {
            if (!leaves.containsKey(i)) {
                missing.add(i);
            }
        }
        List<Long> extra =
                leaves.keySet().stream().filter(i -> i < 0 || i >= size).toList();
        if (missing.isEmpty() && duplicates.isEmpty() && extra.isEmpty()) {
            report.pass("entries", size + " entries, indices 0.." + (size - 1) + " each exactly once");
        } else {
            report.fail(
                    "entries",
                    "missing index " + names(missing)
                            + (duplicates.isEmpty() ? "" : "; duplicated index " + names(duplicates))
                            + (extra.isEmpty() ? "" : "; index outside the tree " + names(extra)));
        }

        // 3. Recompute the tree from the leaf bytes, keeping the root at every checkpoint size on the way.
        Map<Long, byte[]> rootAt = new HashMap<>();
        Optional<Checkpoint> held = heldCheckpoint.map(this::open);
        CompactRange tree = CompactRange.empty();
        rootAt.put(0L, tree.root());
        for (long i = 0; i < size && leaves.containsKey(i); i++) {
            tree.append(Hashes.leaf(leaves.get(i)));
            rootAt.put(tree.size(), tree.root());
        }
        if (tree.size() == size && Arrays.equals(tree.root(), newest.rootHash())) {
            report.pass("tree head", "the recomputed root of " + size + " entries equals the newest checkpoint's");
        } else {
            report.fail("tree head", "the entries do not hash to the newest checkpoint's root (size " + size + ")");
        }

        // 4. Every inclusion proof against the newest checkpoint; a failure names the entry.
        List<Long> notIncluded = new ArrayList<>();
        for (Map.Entry<Long, byte[]> leaf : leaves.entrySet()) {
            long index = leaf.getKey();
            if (index < 0
                    || index >= size
                    || !Proofs.verifyInclusion(
                            index, size, Hashes.leaf(leaf.getValue()), inclusions.get(index), newest.rootHash())) {
                notIncluded.add(index);
            }
        }
        if (notIncluded.isEmpty()) {
            report.pass("inclusion", "every entry's inclusion proof verifies against the newest checkpoint");
        } else {
            report.fail("inclusion", "no valid inclusion proof for index " + names(notIncluded));
        }

        // 5. Consistency between the bundle's checkpoints, and with the one held from before.
        Map<Long, byte[]> checkpointRoots = new HashMap<>();
        checkpoints.forEach(c -> checkpointRoots.put(c.size(), c.rootHash()));
        List<String> inconsistent = new ArrayList<>();
        for (Checkpoint checkpoint : checkpoints) {
            byte[] recomputed = rootAt.get(checkpoint.size());
            if (recomputed == null || !Arrays.equals(recomputed, checkpoint.rootHash())) {
                inconsistent.add("checkpoint of size " + checkpoint.size() + " does not match the entries");
            }
        }
        for (JsonNode proof : bundle.path("consistency")) {
            long from = proof.path("from").asLong();
            long to = proof.path("to").asLong();
            byte[] fromRoot = checkpointRoots.get(from);
            byte[] toRoot = checkpointRoots.get(to);
            if (fromRoot == null
                    || toRoot == null
                    || !Proofs.verifyConsistency(from, to, fromRoot, toRoot, hashes(proof.path("hashes")))) {
                inconsistent.add("consistency proof " + from + " -> " + to + " fails");
            }
        }
        if (inconsistent.isEmpty()) {
            report.pass("consistency", "every checkpoint is a prefix of the newest, and the proofs verify");
        } else {
            report.fail("consistency", String.join("; ", inconsistent));
        }
        held.ifPresent(checkpoint -> checkHeld(report, checkpoint, rootAt, tree.size(), size));

        // 6. The chain a regulator follows: usage -> grant -> KYC decision, each earlier and about the same subject.
        checkChain(report, leaves);
        return report;
    }

    private void checkHeld(Report report, Checkpoint held, Map<Long, byte[]> rootAt, long recomputed, long size) {
        long m = held.size();
        if (m > size) {
            report.fail(
                    "held checkpoint",
                    "the log shrank: the held checkpoint has " + m + " entries, the log " + size
                            + "; entries from index " + size + " on are gone");
        } else if (m > recomputed) {
            report.fail(
                    "held checkpoint",
                    "entries from index " + recomputed + " are missing, so the held checkpoint" + " (size " + m
                            + ") cannot be confirmed");
        } else if (!Arrays.equals(rootAt.get(m), held.rootHash())) {
            report.fail(
                    "held checkpoint",
                    "entries in the index range 0.." + (m - 1) + " differ from what the held" + " checkpoint (size " + m
                            + ") committed to: the log was rewritten");
        } else {
            report.pass("held checkpoint", "the log extends the checkpoint of size " + m + " held from before");
        }
    }

    /** The leaves in index order through the chain check both bundle formats share. */
    private static void checkChain(Report report, Map<Long, byte[]> leaves) {
        ChainCheck chain = new ChainCheck(MAX_NAMED);
        new TreeMap<>(leaves).forEach(chain::add);
        chain.report(report);
    }

    private Checkpoint open(String note) {
        return open(note, trusted);
    }

    /** Opens a checkpoint note with the first trusted key that verifies it; both bundle formats use it. */
    static Checkpoint open(String note, List<NoteKeys.Verifier> trusted) {
        List<String> errors = new ArrayList<>();
        for (NoteKeys.Verifier key : trusted) {
            try {
                return Checkpoint.parse(SignedNote.open(note, key));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        throw new IllegalArgumentException(String.join("; ", errors));
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> hashes = new ArrayList<>();
        array.forEach(hash -> hashes.add(Base64.getDecoder().decode(hash.asText())));
        return hashes;
    }

    private static String names(List<Long> indexes) {
        List<String> shown =
                indexes.stream().limit(MAX_NAMED).map(String::valueOf).toList();
        return String.join(", ", shown) + (indexes.size() > MAX_NAMED ? ", ..." : "");
    }
}
