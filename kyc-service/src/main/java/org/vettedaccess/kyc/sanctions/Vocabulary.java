package org.vettedaccess.kyc.sanctions;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinTask;

/**
 * The distinct words of the loaded names, in one char array ordered by length and, within a length, by first
 * character, each with its letters counted up to two occurrences ({@link WordSimilarity#letters}, also sliced by
 * letter in blocks of 64 words: {@link LetterSlices}), and the search for a word's neighbours: every indexed word
 * whose Jaro-Winkler similarity to it is at least a threshold. The search is exact: it skips only words that provably
 * cannot reach the threshold, by length and common prefix ({@link WordSimilarity#matchesNeeded}) and by the letters
 * the two words share ({@link WordSimilarity#lettersBound}), and computes the similarity of every other word,
 * bit-parallel and given up as soon as the matches needed are out of reach ({@link WordSimilarity#atLeast}: that
 * walk is as cheap as the bound by the letters within Jaro's window that it replaced, and exact).
 *
 * <p>The words of one length whose first character differs from the screened word's (nearly all of them) have no
 * common prefix, so one number of matches is needed for all of them: they are swept 64 at a time on the letter
 * slices, without reading their characters or computing a prefix, and only the few that share enough letters are
 * read. The run with the screened word's first character is swept on the fewest matches any prefix needs.
 *
 * <p>Neighbours of words screened often (given names) are kept, up to {@link #CACHED} words per index.
 */
final class Vocabulary {

    /** Searches over at least this many words are split in two, one half on the common pool. */
    static final int SPLIT_FROM = 20_000;

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** How many screened words' neighbours are kept; past that the cache starts again. */
    static final int CACHED = 50_000;

    /** The neighbours of one word: word ids and their similarities (the larger of the two orders). */
    record Neighbours(int[] words, double[] similarities) {}

    private final char[] chars;
    /** Word {@code w} is {@code chars[start[w] .. start[w + 1])}; ids ascend with length. */
    private final int[] start;

    /** {@link WordSimilarity#letters} of each word. */
    private final long[] letters;

    private final LetterSlices slices;
    /** The ids of words of length {@code l} are {@code byLength[l] .. byLength[l + 1]}. */
    private final int[] byLength;
    /**
     * Runs of words with one length and one first character: run {@code r} is ids {@code runStart[r] ..
     * runStart[r + 1])}, first character {@code runHead[r]}; the runs of length {@code l} are {@code runOfLength[l]
     * .. runOfLength[l + 1])}.
     */
    private final int[] runStart;

    private final char[] runHead;
    private final int[] runOfLength;

    private final int[] idOfInserted;
    private final int splitFrom;
    private final Map<String, Neighbours> cache = new ConcurrentHashMap<>();

    private Vocabulary(
            char[] chars, int[] start, long[] letters, int[] byLength, int[] idOfInserted, Runs runs, int splitFrom) {
        this.splitFrom = splitFrom;
        this.chars = chars;
        this.start = start;
        this.letters = letters;
        this.slices = new LetterSlices(letters);
        this.byLength = byLength;
        this.idOfInserted = idOfInserted;
        this.runStart = runs.start;
        this.runHead = runs.head;
        this.runOfLength = runs.ofLength;
    }

    private record Runs(int[] start, char[] head, int[] ofLength) {}

    /**
     * The vocabulary of {@code words} (distinct), ordered by length and first character; see {@link
     * #idsInInsertionOrder}.
     */
    static Vocabulary of(List<String> words) {
        return of(words, SPLIT_FROM);
    }

    /** As {@link #of(List)}, splitting searches over at least {@code splitFrom} words in two. */
    static Vocabulary of(List<String> words, int splitFrom) {
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
        Integer[] order = new Integer[words.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (p, q) -> {
            String a = words.get(p);
            String b = words.get(q);
            if (a.length() != b.length()) {
                return Integer.compare(a.length(), b.length());
            }
            return a.isEmpty() ? 0 : Character.compare(a.charAt(0), b.charAt(0));
        });
        int[] idOfInserted = new int[words.size()];
        String[] ordered = new String[words.size()];
        for (int id = 0; id < order.length; id++) {
            idOfInserted[order[id]] = id;
            ordered[id] = words.get(order[id]);
        }
        char[] chars = new char[Math.toIntExact(total)];
        int[] start = new int[words.size() + 1];
        long[] letters = new long[words.size()];
        for (int id = 0; id < ordered.length; id++) {
            String w = ordered[id];
            w.getChars(0, w.length(), chars, start[id]);
            start[id + 1] = start[id] + w.length();
            letters[id] = WordSimilarity.letters(chars, start[id], w.length());
        }
        return new Vocabulary(chars, start, letters, byLength, idOfInserted, runs(ordered, byLength), splitFrom);
    }

    private static Runs runs(String[] ordered, int[] byLength) {
        Ints starts = new Ints();
        StringBuilder heads = new StringBuilder();
        int[] ofLength = new int[byLength.length];
        for (int l = 0; l + 1 < byLength.length; l++) {
            ofLength[l] = starts.size();
            for (int id = byLength[l]; id < byLength[l + 1]; id++) {
                char head = l == 0 ? 0 : ordered[id].charAt(0);
                if (id == byLength[l] || head != heads.charAt(heads.length() - 1)) {
                    starts.add(id);
                    heads.append(head);
                }
            }
        }
        ofLength[byLength.length - 1] = starts.size();
        starts.add(ordered.length);
        return new Runs(starts.toArray(), heads.toString().toCharArray(), ofLength);
    }

    int size() {
        return letters.length;
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

    /**
     * Every neighbour of {@code x}: the lengths in reach are split at the middle word, the first half searched on
     * the common pool while this thread searches the second (when the half is worth a task), and the halves'
     * neighbours joined in id order.
     */
    private Neighbours search(char[] x, double threshold) {
        int first = 1;
        while (first + 1 < byLength.length
                && WordSimilarity.matchesNeeded(x.length, first, threshold) == Integer.MAX_VALUE) {
            first++;
        }
        int last = byLength.length - 2;
        while (last > first && WordSimilarity.matchesNeeded(x.length, last, threshold) == Integer.MAX_VALUE) {
            last--;
        }
        if (first > last) {
            return new Neighbours(new int[0], new double[0]);
        }
        int from = byLength[first];
        int to = byLength[last + 1];
        if (to - from < splitFrom || CORES < 2) {
            return search(x, threshold, from, to).neighbours();
        }
        int middle = from + (to - from) / 2;
        ForkJoinTask<Probe> low =
                ForkJoinTask.adapt(() -> search(x, threshold, from, middle)).fork();
        Probe high = search(x, threshold, middle, to);
        return low.join().neighboursThen(high);
    }

    /** The neighbours of {@code x} among ids {@code from .. to)}, in id order. */
    private Probe search(char[] x, double threshold, int from, int to) {
        Probe probe = new Probe(x, threshold, slices);
        for (int l = 1; l + 1 < byLength.length; l++) {
            int lo = Math.max(from, byLength[l]);
            int hi = Math.min(to, byLength[l + 1]);
            if (lo >= hi || WordSimilarity.matchesNeeded(x.length, l, threshold) == Integer.MAX_VALUE) {
                continue; // not in this half, or lengths too far apart
            }
            int[] needed = new int[5]; // by common prefix: without one, more letters must match
            for (int p = 0; p < needed.length; p++) {
                needed[p] = WordSimilarity.matchesNeeded(x.length, l, threshold, p);
            }
            int headFrom = hi;
            int headTo = hi;
            for (int run = runOfLength[l]; run < runOfLength[l + 1] && x.length > 0; run++) {
                if (runHead[run] == x[0]) {
                    headFrom = Math.max(lo, runStart[run]);
                    headTo = Math.max(headFrom, Math.min(hi, runStart[run + 1]));
                    break;
                }
            }
            sweep(probe, l, needed, lo, hi, headFrom, headTo);
        }
        return probe;
    }

    /**
     * Words {@code lo .. hi)} of length {@code l}, 64 at a time: those of the run {@code headFrom .. headTo)} share
     * the screened word's first character and may reach the threshold with the fewest matches any prefix needs; the
     * others have no common prefix and need {@code needed[0]}. The letter slices keep the words that may share that
     * many letters (exactly {@link WordSimilarity#lettersBound} when the screened word repeats no letter beyond its
     * second occurrence, more otherwise); only those are read.
     */
    private void sweep(Probe probe, int l, int[] needed, int lo, int hi, int headFrom, int headTo) {
        int need = needed[0];
        int least = needed[needed.length - 1]; // the longest prefix, the fewest matches
        int extra = probe.extra; // the screened word's occurrences beyond the caps, at most what the bound adds
        LetterSlices.Sought sought = probe.sought;
        for (int block = lo >>> 6, last = (hi - 1) >>> 6; block <= last; block++) {
            long head = LetterSlices.range(block, headFrom, headTo);
            long rest = need == Integer.MAX_VALUE ? 0 : LetterSlices.range(block, lo, hi) & ~head;
            long found = sought.sharing(block, need - extra, rest);
            if (head != 0 && least != Integer.MAX_VALUE) {
                found |= sought.sharing(block, least - extra, head);
            }
            for (; found != 0; found &= found - 1) {
                int id = block << 6 | Long.numberOfTrailingZeros(found);
                int at = start[id];
                int prefix =
                        (head & 1L << id) == 0 ? 0 : WordSimilarity.prefix(probe.x, 0, probe.x.length, chars, at, l);
                int needs = needed[prefix];
                if (extra == 0 && prefix == 0 || mayShare(probe, id, l, needs)) {
                    probe.offer(id, similarity(probe, id, at, l, prefix, needs));
                }
            }
        }
    }

    /**
     * Can word {@code id} (of length {@code l}) have {@code need} matches with the screened word by the letters they
     * share, counted up to the fewer occurrences ({@link WordSimilarity#lettersBound})? The sweep has checked this
     * already for a word without common prefix when the screened word has no occurrences beyond the caps.
     */
    private boolean mayShare(Probe probe, int id, int l, int need) {
        return WordSimilarity.lettersBound(probe.letters, probe.x.length, letters[id], l) >= need;
    }

    /**
     * The similarity of word {@code id} ({@code chars[at .. at + l)}) to the screened word, the larger of the two
     * orders as {@link WordSimilarity#symmetric}, or -1 if it has fewer than {@code need} matches in both (then it
     * is no neighbour). Jaro searches the longer word: the screened word's positions are kept in the probe, a
     * vocabulary word's are set for the one comparison.
     */
    private double similarity(Probe probe, int id, int at, int l, int prefix, int need) {
        char[] x = probe.x;
        if (probe.positions == null || l > Long.SIZE || !WordSimilarity.lettersAndDigits(letters[id])) {
            return WordSimilarity.symmetric(x, 0, x.length, chars, at, l);
        }
        if (x.length > l) {
            return WordSimilarity.atLeast(x, 0, x.length, chars, at, l, probe.positions, prefix, need);
        }
        long[] positions = probe.scratch;
        WordSimilarity.addPositions(chars, at, l, positions);
        double similarity = WordSimilarity.atLeast(x, 0, x.length, chars, at, l, positions, prefix, need);
        WordSimilarity.clearPositions(chars, at, l, positions);
        if (x.length == l) {
            similarity = Math.max(
                    similarity, WordSimilarity.atLeast(chars, at, l, x, 0, x.length, probe.positions, prefix, need));
        }
        return similarity;
    }

    /** One search: the screened word, its signatures, scratch, and the neighbours found so far. */
    private static final class Probe {
        final char[] x;
        final double threshold;
        /** {@link WordSimilarity#letters}, its bits ready for the letter slices, the occurrences beyond the caps. */
        final long letters;

        final LetterSlices.Sought sought;
        final int extra;
        /** The screened word's letter positions ({@link WordSimilarity#addPositions}), null if not searchable. */
        final long[] positions;
        /** A vocabulary word's letter positions, for one comparison, then cleared. */
        final long[] scratch = new long[WordSimilarity.LETTER_BITS];

        private final Ints ids = new Ints();
        private double[] similarities = new double[16];

        Probe(char[] x, double threshold, LetterSlices slices) {
            this.x = x;
            this.threshold = threshold;
            this.letters = WordSimilarity.letters(x, 0, x.length);
            this.sought = slices.sought(letters);
            this.extra = x.length - Long.bitCount(letters);
            if (WordSimilarity.searchable(x.length, WordSimilarity.mask(x, 0, x.length))) {
                positions = new long[WordSimilarity.LETTER_BITS];
                WordSimilarity.addPositions(x, 0, x.length, positions);
            } else {
                positions = null;
            }
        }

        void offer(int id, double similarity) {
            if (similarity >= threshold) {
                if (ids.size() == similarities.length) {
                    similarities = java.util.Arrays.copyOf(similarities, similarities.length * 2);
                }
                similarities[ids.size()] = similarity;
                ids.add(id);
            }
        }

        Neighbours neighbours() {
            return new Neighbours(ids.toArray(), java.util.Arrays.copyOf(similarities, ids.size()));
        }

        /** These neighbours, then {@code next}'s (whose ids are all larger). */
        Neighbours neighboursThen(Probe next) {
            int n = ids.size();
            int m = next.ids.size();
            int[] words = java.util.Arrays.copyOf(ids.toArray(), n + m);
            double[] values = java.util.Arrays.copyOf(similarities, n + m);
            System.arraycopy(next.ids.toArray(), 0, words, n, m);
            System.arraycopy(next.similarities, 0, values, n, m);
            return new Neighbours(words, values);
        }
    }
}
