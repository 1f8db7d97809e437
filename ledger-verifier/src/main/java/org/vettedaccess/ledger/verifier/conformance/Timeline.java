package org.vettedaccess.ledger.verifier.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The versions of one thing (a grant, a model, a tier, a KYC application), each in force from its time on. */
final class Timeline {

    /**
     * One version.
     *
     * @param index its leaf
     * @param type its entry type
     * @param at when it took effect (see {@link PolicyReplay} for which time each type uses)
     * @param leaf the leaf, parsed
     */
    record Version(long index, String type, Instant at, JsonNode leaf) {}

    private final List<Version> versions = new ArrayList<>();
    private boolean sorted = true;

    void add(Version version) {
        if (!versions.isEmpty()) {
            Version last = versions.get(versions.size() - 1);
            sorted &= !version.at().isBefore(last.at()) && version.index() > last.index();
        }
        versions.add(version);
    }

    /** Every version in index order. */
    List<Version> byIndex() {
        sort();
        return versions.stream()
                .sorted(Comparator.comparingLong(Version::index))
                .toList();
    }

    /** The version in force at {@code t}: the latest that took effect at or before it (null: none yet). */
    Version at(Instant t) {
        sort();
        int low = 0;
        int high = versions.size() - 1;
        Version found = null;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (!versions.get(mid).at().isAfter(t)) {
                found = versions.get(mid);
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** The version just before {@code index} in log order (null: it is the first). */
    Version before(long index) {
        Version previous = null;
        for (Version version : byIndex()) {
            if (version.index() >= index) {
                break;
            }
            previous = version;
        }
        return previous;
    }

    private void sort() {
        if (!sorted) {
            versions.sort(Comparator.comparing(Version::at).thenComparingLong(Version::index));
            sorted = true;
        }
    }
}
