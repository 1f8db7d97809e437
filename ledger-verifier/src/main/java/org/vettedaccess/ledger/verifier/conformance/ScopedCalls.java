package org.vettedaccess.ledger.verifier.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.vettedaccess.ledger.core.ScopeTags;
import org.vettedaccess.ledger.verifier.conformance.PolicyReplay.Tags;
import org.vettedaccess.ledger.verifier.conformance.PolicyReplay.Usage;

/**
 * Whether a call fell in an INSTITUTION or COUNTRY scope (a kill switch's, a scope trip's), read from its keyed scope
 * tags (ADR 0046) with the keys the regulator gave. A call that carries no tag of the scope's kind, or carries tags
 * under a key not given, cannot be placed in or out of the scope: each such call is counted per scope and listed in
 * the report, never passed in silence. HMACs are computed only for calls a caller asks about (those inside a scoped
 * switch's or trip's span).
 */
final class ScopedCalls {

    /** The answer for one call and one scope. */
    enum Match {
        IN,
        OUT,
        /** No tag of the scope's kind (a leaf from before the tags, a gateway without a key, a decision without it). */
        UNTAGGED,
        /** Tagged under a key the regulator did not give. */
        UNKNOWN_KEY
    }

    /** What could not be checked in one scope. */
    private static final class Tally {
        long untagged;
        long unknownKey;
        final Set<String> keyIds = new TreeSet<>();
        final List<Long> first = new ArrayList<>();
    }

    private static final int LISTED = 10;

    private final Map<String, ScopeTags> keys = new LinkedHashMap<>();
    private final Map<String, Tally> tallies = new LinkedHashMap<>();
    private final Set<Long> uncheckedLeaves = new HashSet<>();

    ScopedCalls(List<ScopeTags> keys) {
        keys.forEach(k -> this.keys.put(k.id(), k));
    }

    /** The ids of the keys given. */
    Set<String> keyIds() {
        return keys.keySet();
    }

    /**
     * Whether {@code scope} ({@code institutions} and/or {@code countries}) covers the call; an uncheckable answer is
     * tallied under {@code name} (how the report names the switch or trip).
     */
    Match match(Usage u, JsonNode scope, String name) {
        Match match = compute(u, scope);
        if (match == Match.UNTAGGED || match == Match.UNKNOWN_KEY) {
            Tally tally = tallies.computeIfAbsent(name, n -> new Tally());
            if (match == Match.UNTAGGED) {
                tally.untagged++;
            } else {
                tally.unknownKey++;
                tally.keyIds.add(u.tags().keyId());
            }
            if (tally.first.size() < LISTED) {
                tally.first.add(u.index());
            }
            uncheckedLeaves.add(u.index());
        }
        return match;
    }

    private Match compute(Usage u, JsonNode scope) {
        Tags tags = u.tags();
        if (tags == null) {
            return Match.UNTAGGED;
        }
        ScopeTags key = keys.get(tags.keyId());
        if (key == null) {
            return Match.UNKNOWN_KEY;
        }
        if (tags.commitment() == null) {
            return Match.UNTAGGED;
        }
        boolean judged = false;
        for (String kind : List.of(ScopeTags.INSTITUTION, ScopeTags.COUNTRY)) {
            Set<String> values =
                    Loosening.texts(scope.path(kind.equals(ScopeTags.INSTITUTION) ? "institutions" : "countries"));
            if (values.isEmpty()) {
                continue;
            }
            byte[] tag = kind.equals(ScopeTags.INSTITUTION) ? tags.institution() : tags.country();
            if (tag == null) {
                return Match.UNTAGGED;
            }
            judged = true;
            for (String value : values) {
                if (Arrays.equals(tag, key.raw(tags.commitment(), kind, value))) {
                    return Match.IN;
                }
            }
        }
        return judged ? Match.OUT : Match.UNTAGGED;
    }

    /**
     * One sentence per scope with calls that could not be checked (how many, why, the first leaves), and one with
     * the total of distinct calls; nothing when every call in a scoped span was tagged under a given key.
     */
    void report(List<String> uncheckable) {
        if (uncheckedLeaves.isEmpty()) {
            return;
        }
        uncheckable.add(uncheckedLeaves.size() + " usage leaf/leaves fell in the span of an INSTITUTION or COUNTRY"
                + " kill switch or scope trip and could not be checked: they carry no scope tag of its kind, or"
                + " tags under a key not given ("
                + (keys.isEmpty()
                        ? "no --scope-key given"
                        : keys.size() + " key(s) given: " + String.join(", ", keys.keySet()))
                + ")");
        tallies.forEach((name, tally) -> uncheckable.add(name + ": " + (tally.untagged + tally.unknownKey)
                + " call(s) not checked (" + tally.untagged + " without a scope tag of its kind, " + tally.unknownKey
                + " tagged under a key not given" + (tally.keyIds.isEmpty() ? "" : " " + tally.keyIds)
                + "); first leaves " + tally.first));
    }
}
