package org.vettedaccess.ledger.verifier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.CompactRange;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.verifier.witness.WitnessPolicy;

/**
 * Checks a version 2 export bundle ({@code "format": "vetted-access-export/2"}) as it streams in: checkpoints first,
 * then every entry in index order, without inclusion proofs. It recomputes the tree from the leaf bytes with a
 * compact range (O(log n) hashes) and compares the root at every checkpoint's size, so memory stays bounded by the
 * number of checkpoints and grant/KYC leaves, not the number of entries (10 M entries work in a small heap).
 */
public final class StreamingVerifier {

    public static final String FORMAT = "vetted-access-export/2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NAMED = 20;

    private final List<NoteKeys.Verifier> trusted;
    private final Optional<WitnessPolicy> witnesses;

    public StreamingVerifier(List<NoteKeys.Verifier> trusted, Optional<WitnessPolicy> witnesses) {
        this.trusted = List.copyOf(trusted);
        this.witnesses = witnesses;
    }

    public Report verify(InputStream bundle, Optional<String> heldCheckpoint) throws IOException {
        Report report = new Report();
        TreeMap<Long, byte[]> roots = new TreeMap<>();
        String newestNote = null;
        List<String> badSignatures = new ArrayList<>();
        Optional<Checkpoint> held = heldCheckpoint.map(this::open);
        long size = -1;
        CompactRange tree = CompactRange.empty();
        List<Long> missing = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        ChainCheck chain = new ChainCheck(MAX_NAMED);
        long lastGood = 0;
        long laterDiffering = 0;
        byte[] heldRecomputed = null;
        boolean entriesSeen = false;
        boolean outOfOrder = false;
        try (JsonParser parser = new JsonFactory().createParser(bundle)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a bundle is a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "checkpoints" -> {
                        while (parser.nextToken() == JsonToken.VALUE_STRING) {
                            String note = parser.getText();
                            try {
                                Checkpoint checkpoint = open(note);
                                roots.put(checkpoint.size(), checkpoint.rootHash());
                                if (checkpoint.size() >= roots.lastKey()) {
                                    newestNote = note;
                                }
                            } catch (IllegalArgumentException e) {
                                badSignatures.add(e.getMessage());
                            }
                        }
                    }
                    case "treeSize" -> size = parser.getLongValue();
                    case "entries" -> {
                        entriesSeen = true;
                        if (roots.isEmpty()) {
                            throw new IOException("the bundle lists its entries before its checkpoints");
                        }
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            JsonNode entry = JSON.readTree(parser);
                            long index = entry.path("index").asLong(-1);
                            if (index != tree.size()) {
                                if (index > tree.size() && missing.size() <= MAX_NAMED) {
                                    for (long i = tree.size(); i < index && missing.size() <= MAX_NAMED; i++) {
                                        missing.add(i);
                                    }
                                }
                                outOfOrder = true;
                                continue;
                            }
                            if (outOfOrder) {
                                continue;
                            }
                            byte[] leaf = Base64.getDecoder()
                                    .decode(entry.path("leaf").asText());
                            tree.append(Hashes.leaf(leaf));
                            chain.add(index, leaf);
                            long at = tree.size();
                            byte[] expected = roots.get(at);
                            if (expected != null) {
                                if (Arrays.equals(expected, tree.root())) {
                                    if (differ.isEmpty()) {
                                        lastGood = at;
                                    }
                                } else if (differ.isEmpty()) {
                                    // The first checkpoint that disagrees bounds the change; every later one
                                    // disagrees as well, since its root covers the same prefix.
                                    differ.add("entries in index range " + lastGood + ".." + (at - 1)
                                            + " differ from what the checkpoint of size " + at + " signed");
                                } else {
                                    laterDiffering++;
                                }
                            }
                            if (held.isPresent() && held.get().size() == at) {
                                heldRecomputed = tree.root();
                            }
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
        }
        if (roots.isEmpty() || !badSignatures.isEmpty()) {
            report.fail(
                    "signatures",
                    roots.isEmpty() ? "no checkpoint signed by a trusted key" : String.join("; ", badSignatures));
            return report;
        }
        report.pass("signatures", roots.size() + " checkpoint(s) signed by a trusted key");
        long newest = roots.lastKey();
        if (size != newest) {
            report.fail("tree size", "the bundle says " + size + " entries, its newest checkpoint " + newest);
        }
        if (witnesses.isPresent()) {
            String shortfall = witnesses.get().check(newestNote);
            if (shortfall == null) {
                report.pass("witnesses", witnesses.get().describe(newestNote));
            } else {
                report.fail("witnesses", shortfall);
            }
        }
        if (!entriesSeen || (missing.isEmpty() && !outOfOrder && tree.size() == newest)) {
            if (entriesSeen) {
                report.pass(
                        "entries", newest + " entries, indices 0.." + (newest - 1) + " each exactly once, in order");
            } else {
                report.fail("entries", "the bundle has no entries");
            }
        } else {
            if (missing.isEmpty() && tree.size() < newest) {
                missing.add(tree.size());
            }
            report.fail("entries", "missing index " + names(missing) + (outOfOrder ? " (or out of order)" : ""));
        }
        if (tree.size() == newest && Arrays.equals(tree.root(), roots.get(newest))) {
            report.pass("tree head", "the recomputed root of " + newest + " entries equals the newest checkpoint's");
        } else {
            report.fail("tree head", "the entries do not hash to the newest checkpoint's root (size " + newest + ")");
        }
        if (differ.isEmpty()) {
            report.pass("consistency", "every checkpoint's root is the root of that prefix of the entries");
        } else {
            report.fail(
                    "consistency",
                    String.join("; ", differ)
                            + (laterDiffering == 0
                                    ? ""
                                    : "; and so do the " + laterDiffering + " later checkpoint(s)"));
        }
        if (held.isPresent()) {
            checkHeld(report, held.get(), heldRecomputed, tree.size(), newest);
        }
        chain.report(report);
        return report;
    }

    private static void checkHeld(Report report, Checkpoint held, byte[] recomputedRoot, long recomputed, long size) {
        long m = held.size();
        if (m > size) {
            report.fail(
                    "held checkpoint",
                    "the log shrank: the held checkpoint has " + m + " entries, the log " + size
                            + "; entries from index " + size + " on are gone");
        } else if (m > recomputed) {
            report.fail(
                    "held checkpoint",
                    "entries from index " + recomputed + " are missing, so the held checkpoint (size " + m
                            + ") cannot be confirmed");
        } else if (m > 0 && (recomputedRoot == null || !Arrays.equals(recomputedRoot, held.rootHash()))) {
            report.fail(
                    "held checkpoint",
                    "entries in the index range 0.." + (m - 1) + " differ from what the held checkpoint (size " + m
                            + ") committed to: the log was rewritten");
        } else {
            report.pass("held checkpoint", "the log extends the checkpoint of size " + m + " held from before");
        }
    }

    private Checkpoint open(String note) {
        return Verifier.open(note, trusted);
    }

    private static String names(List<Long> indexes) {
        List<String> shown =
                indexes.stream().limit(MAX_NAMED).map(String::valueOf).toList();
        return String.join(", ", shown) + (indexes.size() > MAX_NAMED ? ", ..." : "");
    }
}
