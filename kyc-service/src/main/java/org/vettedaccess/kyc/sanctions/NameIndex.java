package org.vettedaccess.kyc.sanctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One loaded version of the lists as an in-memory word index (ADR 0096): every distinct word of the normalised
 * names ({@link Names#normalise}) once, grouped by length with its letter signature, and for each word the names it
 * occurs in; for each name its words and its entry. Immutable once built, so any number of screenings read it at
 * once and an index swapped out is simply dropped.
 *
 * <p>{@link #candidates} returns every entry that can score at or above a threshold, not a ranking: a name scores
 * at least {@code t} only if one of its words and one of the screened words have Jaro-Winkler at least
 * {@code 2t - 1} (both halves of the score are means of values at most 1, so each is at least {@code 2t - 1}, and a
 * mean is at most its largest term). Those words are found by a scan of the vocabulary that skips, with exact bounds,
 * the words too short, too long or with too few shared letters ({@link Vocabulary}); the names they occur in are then
 * bounded from above with the similarities known and the neighbour threshold for the rest, and only those that can reach
 * the threshold are returned for exact scoring.
 */
final class NameIndex {

    /**
     * Words below this much below {@code 2t - 1} are not neighbours: a small margin under the bound (which keeps
     * every candidate) so that a name matching only one screened word is bounded clearly below the threshold.
     */
    static final double NEIGHBOUR_MARGIN = 0.02;
    /** Slack for rounding in the upper bound: it only keeps more names for exact scoring. */
    private static final double ROUNDING = 1e-9;

    private final ListedEntry[] entries;
    private final Vocabulary vocabulary;
    /** Word ids of name {@code n} are {@code nameWords[nameStart[n] .. nameStart[n + 1])}. */
    private final int[] nameStart;

    private final int[] nameWords;
    private final int[] nameEntry;
    /** Names of word {@code w} are {@code postings[postingStart[w] .. postingStart[w + 1])}, ascending. */
    private final int[] postingStart;

    private final int[] postings;
    /** Names of one word, or with a word twice: the names a single neighbour can carry to the threshold. */
    private final long[] special;

    private NameIndex(
            ListedEntry[] entries,
            Vocabulary vocabulary,
            int[] nameStart,
            int[] nameWords,
            int[] nameEntry,
            int[] postingStart,
            int[] postings) {
        this.entries = entries;
        this.vocabulary = vocabulary;
        this.nameStart = nameStart;
        this.nameWords = nameWords;
        this.nameEntry = nameEntry;
        this.postingStart = postingStart;
        this.postings = postings;
        this.special = new long[(nameEntry.length + 63) >>> 6];
        for (int name = 0; name < nameEntry.length; name++) {
            int from = nameStart[name];
            int to = nameStart[name + 1];
            boolean repeats = to - from == 1;
            for (int j = from + 1; j < to && !repeats; j++) {
                repeats = Builder.repeated(nameWords, from, j);
            }
            if (repeats) {
                special[name >>> 6] |= 1L << name;
            }
        }
    }

    /** Adds entries one at a time, then {@link #build}s the index. Not thread-safe. */
    static final class Builder {
        private final List<ListedEntry> entries = new ArrayList<>();
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<String> words = new ArrayList<>();
        private final Ints nameStart = new Ints();
        private final Ints nameWords = new Ints();
        private final Ints nameEntry = new Ints();

        Builder() {
            nameStart.add(0);
        }

        void add(ListedEntry entry) {
            for (String name : entry.names()) {
                if (name.isEmpty()) {
                    continue;
                }
                for (String word : name.split(" ")) {
                    Integer id = ids.get(word);
                    if (id == null) {
                        id = words.size();
                        ids.put(word, id);
                        words.add(word);
                    }
                    nameWords.add(id);
                }
                nameStart.add(nameWords.size());
                nameEntry.add(entries.size());
            }
            entries.add(entry);
        }

        NameIndex build() {
            ids.clear();
            Vocabulary vocabulary = Vocabulary.of(words);
            int[] byFirstSeen = vocabulary.idsInInsertionOrder();
            int[] nameWordIds = nameWords.toArray();
            for (int i = 0; i < nameWordIds.length; i++) {
                nameWordIds[i] = byFirstSeen[nameWordIds[i]];
            }
            int[] starts = nameStart.toArray();
            int names = starts.length - 1;
            int[] postingStart = new int[vocabulary.size() + 1];
            for (int n = 0; n < names; n++) {
                for (int i = starts[n]; i < starts[n + 1]; i++) {
                    if (!repeated(nameWordIds, starts[n], i)) {
                        postingStart[nameWordIds[i] + 1]++;
                    }
                }
            }
            for (int w = 0; w < vocabulary.size(); w++) {
                postingStart[w + 1] += postingStart[w];
            }
            int[] postings = new int[postingStart[vocabulary.size()]];
            int[] fill = Arrays.copyOf(postingStart, vocabulary.size());
            for (int n = 0; n < names; n++) {
                for (int i = starts[n]; i < starts[n + 1]; i++) {
                    if (!repeated(nameWordIds, starts[n], i)) {
                        postings[fill[nameWordIds[i]]++] = n;
                    }
                }
            }
            return new NameIndex(
                    entries.toArray(ListedEntry[]::new),
                    vocabulary,
                    starts,
                    nameWordIds,
                    nameEntry.toArray(),
                    postingStart,
                    postings);
        }

        private static boolean repeated(int[] words, int from, int at) {
            for (int i = from; i < at; i++) {
                if (words[i] == words[at]) {
                    return true;
                }
            }
            return false;
        }
    }

    int size() {
        return entries.length;
    }

    ListedEntry entry(int position) {
        return entries[position];
    }

    /** Distinct words and names indexed, for the benchmark and the log. */
    String describe() {
        return String.format(
                java.util.Locale.ROOT,
                "%d entries, %d names, %d distinct words",
                entries.length,
                nameEntry.length,
                vocabulary.size());
    }

    /**
     * The positions, ascending, of every entry one of whose names can score {@code threshold} or more against the
     * screened (normalised, non-empty) name; entries not returned certainly score less.
     */
    int[] candidates(String normalised, double threshold) {
        String[] screened = normalised.split(" ");
        int n = screened.length;
        double neighbour = 2 * threshold - 1 - NEIGHBOUR_MARGIN;
        // Every word that is a neighbour of some screened word, with its similarity to each (the neighbour threshold otherwise).
        WordRows rows = new WordRows(n, neighbour);
        Map<String, Vocabulary.Neighbours> seen = new HashMap<>();
        Vocabulary.Neighbours[] neighbours = new Vocabulary.Neighbours[n];
        for (int i = 0; i < n; i++) {
            Vocabulary.Neighbours near = seen.computeIfAbsent(screened[i], w -> vocabulary.neighbours(w, neighbour));
            neighbours[i] = near;
            for (int k = 0; k < near.words().length; k++) {
                rows.set(near.words()[k], i, near.similarities()[k]);
            }
        }
        // Which names hold a neighbour of screened word i, and which hold two different neighbours of one word.
        int width = (nameEntry.length + 63) >>> 6;
        long[][] hit = new long[n][width];
        long[] twice = new long[width];
        for (int i = 0; i < n; i++) {
            long[] h = hit[i];
            for (int word : neighbours[i].words()) {
                for (int p = postingStart[word]; p < postingStart[word + 1]; p++) {
                    int name = postings[p];
                    twice[name >>> 6] |= h[name >>> 6] & (1L << name);
                    h[name >>> 6] |= 1L << name;
                }
            }
        }
        double[] best = new double[n];
        Ints found = new Ints();
        for (int k = 0; k < width; k++) {
            long any = 0;
            long two = twice[k];
            for (int i = 0; i < n; i++) {
                two |= any & hit[i][k];
                any |= hit[i][k];
            }
            // A name with one word near one screened word, once, and nothing else near is bounded by
            // (1 + neighbour) / 2 < threshold (ADR 0096): only the others are bounded one by one.
            long bounded = n == 1 ? any : two | (any & special[k]);
            for (; bounded != 0; bounded &= bounded - 1) {
                int name = (k << 6) + Long.numberOfTrailingZeros(bounded);
                if (upperBound(name, rows, best) >= threshold - ROUNDING) {
                    found.add(nameEntry[name]);
                }
            }
        }
        int[] positions = found.toArray();
        Arrays.sort(positions);
        return Arrays.stream(positions).distinct().toArray();
    }

    /**
     * The score's bound for one name: {@code (mean_i max_j u + mean_j max_i u) / 2} with {@code u} the known
     * similarity of screened word {@code i} and listed word {@code j}, or the neighbour threshold, which every
     * unknown pair is below.
     */
    private double upperBound(int name, WordRows rows, double[] best) {
        int n = best.length;
        Arrays.fill(best, 0);
        double listedSum = 0;
        int from = nameStart[name];
        int to = nameStart[name + 1];
        for (int j = from; j < to; j++) {
            int row = rows.row(nameWords[j]);
            double listedBest = 0;
            for (int i = 0; i < n; i++) {
                double u = rows.value(row, i);
                listedBest = Math.max(listedBest, u);
                best[i] = Math.max(best[i], u);
            }
            listedSum += listedBest;
        }
        double screenedSum = 0;
        for (double b : best) {
            screenedSum += b;
        }
        return (screenedSum / n + listedSum / (to - from)) / 2;
    }

    /** Word id to a row of similarities to the screened words; an open-addressing table, as rows are few. */
    private static final class WordRows {
        private final int n;
        private final double unknown;
        private final Ints words = new Ints();
        private double[] values = new double[0];
        private int[] table = new int[64];

        WordRows(int n, double unknown) {
            this.n = n;
            this.unknown = unknown;
            Arrays.fill(table, -1);
        }

        /** The row of {@code word}, or -1 if it is no screened word's neighbour. */
        int row(int word) {
            for (int slot = hash(word); ; slot = (slot + 1) & (table.length - 1)) {
                int row = table[slot];
                if (row < 0 || words.get(row) == word) {
                    return row;
                }
            }
        }

        double value(int row, int i) {
            return row < 0 ? unknown : values[row * n + i];
        }

        void set(int word, int i, double similarity) {
            int row = row(word);
            if (row < 0) {
                row = words.size();
                words.add(word);
                if (values.length < (row + 1) * n) {
                    int old = values.length;
                    values = Arrays.copyOf(values, Math.max(n * 16, values.length * 2));
                    Arrays.fill(values, old, values.length, unknown);
                }
                if (words.size() * 2 > table.length) {
                    rehash();
                } else {
                    insert(word, row);
                }
            }
            values[row * n + i] = similarity;
        }

        private void rehash() {
            table = new int[table.length * 2];
            Arrays.fill(table, -1);
            for (int r = 0; r < words.size(); r++) {
                insert(words.get(r), r);
            }
        }

        private void insert(int word, int row) {
            int slot = hash(word);
            while (table[slot] >= 0) {
                slot = (slot + 1) & (table.length - 1);
            }
            table[slot] = row;
        }

        private int hash(int word) {
            return (word * 0x9E3779B1) >>> 7 & (table.length - 1);
        }
    }
}
