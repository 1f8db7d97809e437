package org.vettedaccess.kyc.sanctions;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The distinct words of the loaded names, in one char array ordered by length and then by first letter, each with
 * its letter signature ({@link WordSimilarity#mask}), and the search for a word's neighbours: every indexed word
 * whose Jaro-Winkler similarity to it is at least a threshold. The search is exact: it skips only words that provably
 * cannot reach the threshold, by length and common prefix ({@link WordSimilarity#matchesNeeded}), by the letters the
 * two words share and by the letters within Jaro's matching window ({@link WordSimilarity#windows}), and computes the
 * similarity of every other word.
 *
 * <p>Most words of a length do not begin with the screened word's letter, and without Winkler's prefix bonus they
 * need nearly all their letters matched. Those are not scanned: they are found through a prefix filter (as in the
 * set-similarity joins AllPairs and PPJoin, ADR 0049). A word's letters are taken as tokens (letter, occurrence), so
 * "anna" is a1 n1 n2 a2 and two words' Jaro matches are at most the tokens they share. A word that needs {@code m}
 * matches with a screened word of {@code L} letters shares at least one of any {@code L - m + 1} of its tokens, so
 * only the words holding one of its rarest {@code L - m + 1} tokens are looked at, read from postings per length and
 * token. The words that do share the first letter, a small part of each length, are scanned as before.
 *
 * <p>Neighbours of words screened often (given names) are kept, up to {@link #CACHED} words per index.
 */
final class Vocabulary {

    /** How many screened words' neighbours are kept; past that the cache starts again. */
    static final int CACHED = 50_000;

    /** Tokens are (letter bit, occurrence) for words up to this long; longer words are scanned. */
    private static final int TOKENIZED = Long.SIZE;

    private static final int TOKENS = Long.SIZE * TOKENIZED;

    /** The neighbours of one word: word ids and their similarities (the larger of the two orders). */
    record Neighbours(int[] words, double[] similarities) {}

    private final char[] chars;
    /** Word {@code w} is {@code chars[start[w] .. start[w + 1])}; ids ascend with length, then first letter. */
    private final int[] start;

    private final long[] masks;
    private final int[] repeats;
    /** The ids of words of length {@code l} are {@code byLength[l] .. byLength[l + 1]}. */
    private final int[] byLength;
    /**
     * For a length {@code l} up to {@link #TOKENIZED}, the ids of its words holding token {@code t} are {@code
     * tokenPostings[l][tokenStart[l][t] .. tokenStart[l][t + 1])}, ascending.
     */
    private final int[][] tokenStart;

    private final int[][] tokenPostings;
    private final int[] idOfInserted;
    private final Map<String, Neighbours> cache = new ConcurrentHashMap<>();

    private Vocabulary(char[] chars, int[] start, int[] byLength, int[] idOfInserted) {
        this.chars = chars;
        this.start = start;
        this.byLength = byLength;
        this.idOfInserted = idOfInserted;
        int size = start.length - 1;
        this.masks = new long[size];
        this.repeats = new int[size];
        for (int id = 0; id < size; id++) {
            int length = start[id + 1] - start[id];
            masks[id] = WordSimilarity.mask(chars, start[id], length);
            repeats[id] = length - Long.bitCount(masks[id]);
        }
        int lengths = Math.min(byLength.length - 1, TOKENIZED + 1);
        this.tokenStart = new int[lengths][];
        this.tokenPostings = new int[lengths][];
        int[] tokens = new int[TOKENIZED];
        int[] scratch = new int[Long.SIZE];
        for (int l = 1; l < lengths; l++) {
            int[] offsets = new int[TOKENS + 1];
            for (int id = byLength[l]; id < byLength[l + 1]; id++) {
                tokens(chars, start[id], l, tokens, scratch);
                for (int i = 0; i < l; i++) {
                    offsets[tokens[i] + 1]++;
                }
            }
            for (int t = 0; t < TOKENS; t++) {
                offsets[t + 1] += offsets[t];
            }
            int[] postings = new int[offsets[TOKENS]];
            int[] fill = Arrays.copyOf(offsets, TOKENS);
            for (int id = byLength[l]; id < byLength[l + 1]; id++) {
                tokens(chars, start[id], l, tokens, scratch);
                for (int i = 0; i < l; i++) {
                    postings[fill[tokens[i]]++] = id;
                }
            }
            tokenStart[l] = offsets;
            tokenPostings[l] = postings;
        }
    }

    /** The vocabulary of {@code words} (distinct), ordered by length and first letter; see {@link #idsInInsertionOrder}. */
    static Vocabulary of(List<String> words) {
        long[] keys = new long[words.size()];
        int longest = 0;
        long total = 0;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            longest = Math.max(longest, w.length());
            total += w.length();
            keys[i] = (long) w.length() << 48 | (long) w.charAt(0) << 32 | i;
        }
        Arrays.sort(keys);
        int[] byLength = new int[longest + 2];
        int[] idOfInserted = new int[words.size()];
        char[] chars = new char[Math.toIntExact(total)];
        int[] start = new int[words.size() + 1];
        for (int id = 0; id < keys.length; id++) {
            int inserted = (int) keys[id];
            String w = words.get(inserted);
            idOfInserted[inserted] = id;
            byLength[w.length() + 1]++;
            w.getChars(0, w.length(), chars, start[id]);
            start[id + 1] = start[id] + w.length();
        }
        for (int l = 0; l <= longest; l++) {
            byLength[l + 1] += byLength[l];
        }
        return new Vocabulary(chars, start, byLength, idOfInserted);
    }

    int size() {
        return masks.length;
    }

    /** For the i-th word given to {@link #of}, its id here. */
    int[] idsInInsertionOrder() {
        return idOfInserted;
    }

    String word(int id) {
        return new String(chars, start[id], start[id + 1] - start[id]);
    }

    /** Every word whose similarity to {@code word} (either order) is at least {@code threshold}. */
    Neighbours neighbours(String word, double threshold) {
        String key = threshold + " " + word;
        Neighbours known = cache.get(key);
        if (known != null) {
            return known;
        }
        Neighbours found = new Search(word.toCharArray(), threshold).run();
        if (cache.size() >= CACHED) {
            cache.clear();
        }
        cache.put(key, found);
        return found;
    }

    /**
     * The tokens (letter bit, occurrence) of a word of at most {@link #TOKENIZED} characters, into {@code out};
     * {@code occurrences} is scratch of {@link Long#SIZE} zeros, left zeroed.
     */
    private static void tokens(char[] word, int offset, int length, int[] out, int[] occurrences) {
        for (int i = 0; i < length; i++) {
            int bit = WordSimilarity.bit(word[offset + i]);
            out[i] = bit * TOKENIZED + occurrences[bit]++;
        }
        for (int i = 0; i < length; i++) {
            occurrences[WordSimilarity.bit(word[offset + i])] = 0;
        }
    }

    /** One search: the screened word's bounds, and the neighbours found so far. */
    private final class Search {
        private final char[] x;
        private final double threshold;
        private final long mask;
        private final int repeatsX;
        private final int[] counts;
        private final int[] used = new int[Long.SIZE];
        private final Ints ids = new Ints();
        private double[] similarities = new double[16];

        Search(char[] x, double threshold) {
            this.x = x;
            this.threshold = threshold;
            this.mask = WordSimilarity.mask(x, 0, x.length);
            this.repeatsX = x.length - Long.bitCount(mask);
            this.counts = WordSimilarity.counts(x);
        }

        Neighbours run() {
            int length = x.length;
            int[] tokens = null;
            if (length <= TOKENIZED) {
                tokens = new int[length];
                tokens(x, 0, length, tokens, new int[Long.SIZE]);
            }
            long[] seen = new long[(size() + 63) >>> 6];
            for (int l = 1; l + 1 < byLength.length; l++) {
                if (WordSimilarity.matchesNeeded(length, l, threshold) == Integer.MAX_VALUE) {
                    continue; // lengths too far apart
                }
                int[] needed = new int[5]; // by common prefix: without one, more letters must match
                for (int p = 0; p < needed.length; p++) {
                    needed[p] = WordSimilarity.matchesNeeded(length, l, threshold, p);
                }
                long[] windows = WordSimilarity.windows(x, l);
                int from = byLength[l];
                int to = byLength[l + 1];
                if (tokens == null || l >= tokenStart.length) {
                    for (int id = from; id < to; id++) {
                        consider(id, l, needed, windows);
                    }
                    continue;
                }
                // The words that begin with the screened word's letter, a run of ids: scanned.
                int sameFirst = firstAtLeast(from, to, x[0]);
                int sameEnd = firstAtLeast(sameFirst, to, (char) (x[0] + 1));
                for (int id = sameFirst; id < sameEnd; id++) {
                    consider(id, l, needed, windows);
                }
                // The others have no common prefix: through the postings of the screened word's rarest tokens.
                if (needed[0] == Integer.MAX_VALUE) {
                    continue;
                }
                int[] offsets = tokenStart[l];
                int[] postings = tokenPostings[l];
                for (int token : rarest(tokens, offsets, length - needed[0] + 1)) {
                    for (int p = offsets[token]; p < offsets[token + 1]; p++) {
                        int id = postings[p];
                        if ((seen[id >>> 6] & (1L << id)) != 0 || (id >= sameFirst && id < sameEnd)) {
                            continue;
                        }
                        seen[id >>> 6] |= 1L << id;
                        consider(id, l, needed, windows);
                    }
                }
            }
            return new Neighbours(ids.toArray(), Arrays.copyOf(similarities, ids.size()));
        }

        private void consider(int id, int l, int[] needed, long[] windows) {
            int at = start[id];
            int need = needed[WordSimilarity.prefix(x, 0, x.length, chars, at, l)];
            // Matches are at most the shared letters plus the fewer repeats (WordSimilarity.mask), and at most
            // the positions whose letter is within Jaro's window (WordSimilarity.windows).
            if (Long.bitCount(mask & masks[id]) + Math.min(repeatsX, repeats[id]) < need
                    || !WordSimilarity.mayMatch(windows, counts, used, chars, at, need)) {
                return;
            }
            double similarity = WordSimilarity.symmetric(x, 0, x.length, chars, at, l);
            if (similarity >= threshold) {
                if (ids.size() == similarities.length) {
                    similarities = Arrays.copyOf(similarities, similarities.length * 2);
                }
                similarities[ids.size()] = similarity;
                ids.add(id);
            }
        }

        /** The first id in {@code [from, to)} whose word's first character is at least {@code c}, or {@code to}. */
        private int firstAtLeast(int from, int to, char c) {
            int low = from;
            int high = to;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (chars[start[mid]] < c) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }
    }

    /** The {@code k} tokens of {@code tokens} with the fewest postings. */
    private static int[] rarest(int[] tokens, int[] offsets, int k) {
        int[] sorted = tokens.clone();
        // Insertion sort by posting count: at most 64 tokens.
        for (int i = 1; i < sorted.length; i++) {
            int token = sorted[i];
            int count = offsets[token + 1] - offsets[token];
            int j = i - 1;
            while (j >= 0 && offsets[sorted[j] + 1] - offsets[sorted[j]] > count) {
                sorted[j + 1] = sorted[j];
                j--;
            }
            sorted[j + 1] = token;
        }
        return Arrays.copyOf(sorted, Math.min(k, sorted.length));
    }
}
