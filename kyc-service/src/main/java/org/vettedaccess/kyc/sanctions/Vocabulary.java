package org.vettedaccess.kyc.sanctions;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The distinct words of the loaded names, in one char array ordered by length, each with its letter signature
 * ({@link WordSimilarity#mask}), and the search for a word's neighbours: every indexed word whose Jaro-Winkler
 * similarity to it is at least a threshold. The search is exact: it skips only words that provably cannot reach
 * the threshold, by length and common prefix ({@link WordSimilarity#matchesNeeded}), by the letters the two words
 * share and by the letters within Jaro's matching window ({@link WordSimilarity#windows}), and computes the
 * similarity of every other word.
 *
 * <p>Neighbours of words screened often (given names) are kept, up to {@link #CACHED} words per index.
 */
final class Vocabulary {

    /** How many screened words' neighbours are kept; past that the cache starts again. */
    static final int CACHED = 50_000;

    /** The neighbours of one word: word ids and their similarities (the larger of the two orders). */
    record Neighbours(int[] words, double[] similarities) {}

    private final char[] chars;
    /** Word {@code w} is {@code chars[start[w] .. start[w + 1])}; ids ascend with length. */
    private final int[] start;

    private final long[] masks;
    private final int[] repeats;
    /** The ids of words of length {@code l} are {@code byLength[l] .. byLength[l + 1]}. */
    private final int[] byLength;

    private final int[] idOfInserted;
    private final Map<String, Neighbours> cache = new ConcurrentHashMap<>();

    private Vocabulary(char[] chars, int[] start, long[] masks, int[] repeats, int[] byLength, int[] idOfInserted) {
        this.chars = chars;
        this.start = start;
        this.masks = masks;
        this.repeats = repeats;
        this.byLength = byLength;
        this.idOfInserted = idOfInserted;
    }

    /** The vocabulary of {@code words} (distinct), ordered by length; see {@link #idsInInsertionOrder}. */
    static Vocabulary of(List<String> words) {
        int longest = 0;
        long total = 0;
        for (String w : words) {
            longest = Math.max(longest, w.length());
            total += w.length();
        }
        int[] byLength = new int[longest + 2];
        for (String w : words) {
            byLength[w.length() + 1]++;
        }
        for (int l = 0; l <= longest; l++) {
            byLength[l + 1] += byLength[l];
        }
        int[] next = java.util.Arrays.copyOf(byLength, longest + 1);
        int[] idOfInserted = new int[words.size()];
        String[] ordered = new String[words.size()];
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            int id = next[w.length()]++;
            idOfInserted[i] = id;
            ordered[id] = w;
        }
        char[] chars = new char[Math.toIntExact(total)];
        int[] start = new int[words.size() + 1];
        long[] masks = new long[words.size()];
        int[] repeats = new int[words.size()];
        for (int id = 0; id < ordered.length; id++) {
            String w = ordered[id];
            w.getChars(0, w.length(), chars, start[id]);
            start[id + 1] = start[id] + w.length();
            masks[id] = WordSimilarity.mask(chars, start[id], w.length());
            repeats[id] = w.length() - Long.bitCount(masks[id]);
        }
        return new Vocabulary(chars, start, masks, repeats, byLength, idOfInserted);
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
        Neighbours found = search(word.toCharArray(), threshold);
        if (cache.size() >= CACHED) {
            cache.clear();
        }
        cache.put(key, found);
        return found;
    }

    private Neighbours search(char[] x, double threshold) {
        int length = x.length;
        long mask = WordSimilarity.mask(x, 0, length);
        int repeatsX = length - Long.bitCount(mask);
        int[] counts = WordSimilarity.counts(x);
        int[] used = new int[Long.SIZE];
        Ints ids = new Ints();
        double[] similarities = new double[16];
        for (int l = 1; l + 1 < byLength.length; l++) {
            if (WordSimilarity.matchesNeeded(length, l, threshold) == Integer.MAX_VALUE) {
                continue; // lengths too far apart
            }
            int[] needed = new int[5]; // by common prefix: without one, more letters must match
            for (int p = 0; p < needed.length; p++) {
                needed[p] = WordSimilarity.matchesNeeded(length, l, threshold, p);
            }
            long[] windows = WordSimilarity.windows(x, l);
            for (int id = byLength[l], end = byLength[l + 1]; id < end; id++) {
                int at = start[id];
                int need = needed[WordSimilarity.prefix(x, 0, length, chars, at, l)];
                // Matches are at most the shared letters plus the fewer repeats (WordSimilarity.mask), and at most
                // the positions whose letter is within Jaro's window (WordSimilarity.windows).
                if (Long.bitCount(mask & masks[id]) + Math.min(repeatsX, repeats[id]) < need
                        || !WordSimilarity.mayMatch(windows, counts, used, chars, at, need)) {
                    continue;
                }
                double similarity = WordSimilarity.symmetric(x, 0, length, chars, at, l);
                if (similarity >= threshold) {
                    if (ids.size() == similarities.length) {
                        similarities = java.util.Arrays.copyOf(similarities, similarities.length * 2);
                    }
                    similarities[ids.size()] = similarity;
                    ids.add(id);
                }
            }
        }
        return new Neighbours(ids.toArray(), java.util.Arrays.copyOf(similarities, ids.size()));
    }
}
