package org.vettedaccess.ledger.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chain check of both bundle formats: every usage names an earlier grant leaf, every grant an earlier KYC
 * decision, of the same subject. Fed leaves in index order; keeps only the grant and KYC leaves' type and subject,
 * so it runs in bounded memory per leaf over a streamed bundle.
 */
final class ChainCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Link(String type, String subject) {}

    private final Map<Long, Link> links = new HashMap<>();
    private final List<String> broken = new ArrayList<>();
    private final int maxNamed;

    /** @param maxNamed how many breaks to name before the check stops collecting them */
    ChainCheck(int maxNamed) {
        this.maxNamed = maxNamed;
    }

    /** Checks the leaf at {@code index} against the leaves added before it (add them in index order). */
    void add(long index, byte[] leaf) {
        JsonNode entry;
        try {
            entry = JSON.readTree(leaf);
        } catch (IOException e) {
            name("index " + index + " is not JSON");
            return;
        }
        String type = entry.path("type").asText();
        if (type.equals("usage")) {
            link(index, entry, "grantLeaf", "grant.");
        } else if (type.startsWith("grant.") || type.equals("handoff.refused")) {
            // A refused hand-off answers a KYC approval as a grant rests on one (ADR 0084).
            link(index, entry, "kycLeaf", "kyc.decision");
        }
        if (type.startsWith("grant.") || type.equals("kyc.decision")) {
            links.put(index, new Link(type, entry.path("subject").asText()));
        }
    }

    /** The check's outcome, as the report's "chain" line. */
    void report(Report report) {
        if (broken.isEmpty()) {
            report.pass(
                    "chain",
                    "every usage names an earlier grant, and every grant an earlier KYC decision, of the same subject");
        } else {
            report.fail("chain", String.join("; ", broken));
        }
    }

    private void link(long index, JsonNode entry, String field, String target) {
        long linked = entry.path(field).asLong(-1);
        Link other = links.get(linked);
        if (linked < 0 || linked >= index || other == null) {
            name("index " + index + " names " + field + " " + linked + ", which is not an earlier " + target);
        } else if (!other.type().startsWith(target)) {
            name("index " + index + " names " + field + " " + linked + ", which is a " + other.type() + ", not a "
                    + target);
        } else if (!other.subject().equals(entry.path("subject").asText())) {
            name("index " + index + " names " + field + " " + linked + ", which is about another subject");
        }
    }

    private void name(String problem) {
        if (broken.size() < maxNamed) {
            broken.add(problem);
        }
    }
}
