package org.vettedaccess.ledger.disclosure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.ledger.append.Sequencer;
import org.vettedaccess.ledger.entry.EntryValidator;
import org.vettedaccess.ledger.entry.LeafQueries;
import org.vettedaccess.ledger.entry.PreparedEntry;

/**
 * The names a regulator may be shown: only those of disclosures that name the regulator (by username). Every
 * reading that shows a name is first a {@code disclosure.read} leaf (who read, which pseudonyms, when, through
 * which request), so the lab cannot quietly read names and a regulator or auditor can see every reading. A leaf
 * rather than a table: the log is tamper-evident and already what regulators read and verify; it costs one group
 * commit for a read that shows a name, and nothing for one that shows none. If the leaf cannot be written, the
 * read fails (503) rather than show the name unrecorded.
 */
@ApplicationScoped
public class DisclosureReads {

    /** The most pseudonyms one leaf lists (the TEXTS limit); a page showing more gets several leaves, atomically. */
    private static final int PSEUDONYMS_PER_LEAF = 100;

    private final LeafQueries leaves;
    private final EntryValidator validator;
    private final Sequencer sequencer;
    private final ObjectMapper json;
    private final java.time.Clock clock;

    public DisclosureReads(
            LeafQueries leaves,
            EntryValidator validator,
            Sequencer sequencer,
            ObjectMapper json,
            java.time.Clock clock) {
        this.leaves = leaves;
        this.validator = validator;
        this.sequencer = sequencer;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The names of those of {@code pseudonyms} that are disclosed to the regulator holding {@code token}; blocks
     * until the reading is a durable leaf, so call it on a worker thread.
     */
    public Map<String, String> namesFor(List<String> pseudonyms, JsonWebToken token, String via) {
        String username = token.getClaim("preferred_username");
        Map<String, String> names = leaves.disclosedNames(pseudonyms, username);
        if (names.isEmpty()) {
            return names;
        }
        List<String> shown = names.keySet().stream().sorted().toList();
        String readAt = clock.instant().toString();
        List<PreparedEntry> reads = new ArrayList<>();
        for (int from = 0; from < shown.size(); from += PSEUDONYMS_PER_LEAF) {
            ObjectNode entry = json.createObjectNode()
                    .put("reader", token.getSubject())
                    .put("readAt", readAt)
                    .put("via", via);
            shown.subList(from, Math.min(shown.size(), from + PSEUDONYMS_PER_LEAF))
                    .forEach(entry.putArray("pseudonyms")::add);
            reads.add(validator.prepare(
                    "disclosure-read:" + UUID.randomUUID(), "disclosure.read", entry, "disclosure.read"));
        }
        try {
            sequencer.submit(reads, token.getSubject()).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return names;
    }
}
