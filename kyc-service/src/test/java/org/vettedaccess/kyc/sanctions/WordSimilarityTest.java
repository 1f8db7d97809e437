package org.vettedaccess.kyc.sanctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free Jaro-Winkler is commons-text's, and the vocabulary's skip rules (length, prefix, shared letters
 * counted up to the fewer occurrences) never skip a neighbour.
 */
class WordSimilarityTest {

    private static final JaroWinklerSimilarity COMMONS = new JaroWinklerSimilarity();

    @Test
    void sameValueAsCommonsTextAndTheBoundsHold() {
        Random random = new Random(3);
        int near = 0;
        for (int i = 0; i < 200_000; i++) {
            String a = word(random, "abdeikmnorstuv");
            String b = random.nextBoolean() ? word(random, "abdeikmnorstuv") : varied(a, random);
            char[] x = a.toCharArray();
            char[] y = b.toCharArray();
            double expected = COMMONS.apply(a, b);
            assertEquals(expected, WordSimilarity.of(x, 0, x.length, y, 0, y.length), 0.0, a + " " + b);
            for (double threshold : new double[] {0.82, 0.84, 0.9}) {
                if (Math.max(expected, COMMONS.apply(b, a)) >= threshold) {
                    near++;
                    long shared =
                            Long.bitCount(WordSimilarity.mask(x, 0, x.length) & WordSimilarity.mask(y, 0, y.length));
                    int repeats = Math.min(
                            x.length - Long.bitCount(WordSimilarity.mask(x, 0, x.length)),
                            y.length - Long.bitCount(WordSimilarity.mask(y, 0, y.length)));
                    int needed = WordSimilarity.matchesNeeded(x.length, y.length, threshold);
                    assertTrue(shared + repeats >= needed, a + " " + b + " at " + threshold);
                    int withPrefix = WordSimilarity.matchesNeeded(
                            x.length, y.length, threshold, WordSimilarity.prefix(x, 0, x.length, y, 0, y.length));
                    assertTrue(withPrefix >= needed, "the prefix only tightens the bound");
                    assertTrue(shared + repeats >= withPrefix, a + " " + b + " with its prefix at " + threshold);
                    int doubledBound = sharedBound(x, y);
                    assertTrue(doubledBound >= withPrefix, a + " " + b + " by doubled letters at " + threshold);
                    assertTrue(doubledBound <= shared + repeats, "the doubled letters only tighten the bound");
                    assertEquals(doubledBound, sharedBound(y, x), "the same in either order");
                }
            }
        }
        assertTrue(near > 10_000, "the sample has neighbours to test the bounds on: " + near);
    }

    /**
     * Letters counted up to two occurrences ({@link WordSimilarity#letters}) bound the matches of any two words
     * (commons-text's count), also for words that are no neighbours: words over few letters, with repeats, so the
     * occurrences beyond the second count, and with digits and other characters (which share bits). The bound is
     * reached by many pairs, so a bound one step stricter fails here.
     */
    @Test
    void lettersCountedUpToTwoBoundTheMatches() {
        Random random = new Random(7);
        String[] alphabets = {"aenrst", "ab", "abcdefghijklmnopqrstuvwxyz0123456789", "a01éøßж-'"};
        int tight = 0;
        int reached = 0;
        for (int i = 0; i < 200_000; i++) {
            String letters = alphabets[i % alphabets.length];
            String a = word(random, letters);
            String b = random.nextBoolean() ? word(random, letters) : varied(a, random);
            char[] x = a.toCharArray();
            char[] y = b.toCharArray();
            int matches = matches(a, b);
            int bound = sharedBound(x, y);
            assertTrue(bound >= matches, a + " " + b + ": " + matches + " matches, bound " + bound);
            assertEquals(bound, sharedBound(y, x), "the same in either order");
            long mx = WordSimilarity.mask(x, 0, x.length);
            long my = WordSimilarity.mask(y, 0, y.length);
            int before = Long.bitCount(mx & my) + Math.min(x.length - Long.bitCount(mx), y.length - Long.bitCount(my));
            if (i % alphabets.length < 2) { // letters a-z only: never above shared letters plus repeats
                assertTrue(bound <= before, a + " " + b + ": " + bound + " above " + before);
            }
            if (bound < before) {
                tight++;
            }
            if (bound == matches) {
                reached++;
            }
            assertEquals(
                    WordSimilarity.lettersAndDigits(WordSimilarity.letters(x, 0, x.length)),
                    WordSimilarity.searchable(0, mx),
                    a + ": letters and digits only");
        }
        assertTrue(tight > 10_000, "the bound is tighter than shared letters plus repeats for some pairs: " + tight);
        assertTrue(reached > 10_000, "many pairs reach the bound: " + reached);
    }

    /**
     * The bit-parallel Jaro-Winkler with its early exit ({@link WordSimilarity#atLeast}) gives commons-text's value,
     * in both orders, whenever the words have the matches needed, and gives up (-1) only on pairs below the
     * threshold: on random pairs over few letters (many repeats and transpositions), with digits, with other
     * characters on the walked side, and up to the 64 characters of a searchable word.
     */
    @Test
    void atLeastIsCommonsTextWhenTheMatchesAreThere() {
        Random random = new Random(19);
        String[] alphabets = {"abdeikmnorstuv", "aenrst", "abcdefghijklmnopqrstuvwxyz0123456789", "ab"};
        long[] positions = new long[WordSimilarity.LETTER_BITS];
        int exact = 0;
        int gaveUp = 0;
        for (int i = 0; i < 300_000; i++) {
            String letters = alphabets[random.nextInt(alphabets.length)];
            String a = i % 100 == 0 ? word(random, letters, 56 + random.nextInt(9)) : word(random, letters);
            String b = random.nextBoolean() ? word(random, letters) : varied(a, random);
            if (i % 7 == 0) {
                b = b.length() > 1 ? b.substring(0, b.length() / 2) + "é-" + b.substring(b.length() / 2) : b;
            }
            for (String[] pair : new String[][] {{a, b}, {b, a}}) {
                char[] x = pair[0].toCharArray();
                char[] y = pair[1].toCharArray();
                char[] searched = x.length > y.length ? x : y;
                if (!WordSimilarity.searchable(searched.length, WordSimilarity.mask(searched, 0, searched.length))) {
                    continue;
                }
                double expected = COMMONS.apply(pair[0], pair[1]);
                int matches = matches(pair[0], pair[1]);
                int prefix = WordSimilarity.prefix(x, 0, x.length, y, 0, y.length);
                WordSimilarity.addPositions(searched, 0, searched.length, positions);
                for (double threshold : new double[] {0, 0.7, 0.82, 0.84, 0.9}) {
                    int need = threshold == 0 ? 0 : WordSimilarity.matchesNeeded(x.length, y.length, threshold, prefix);
                    double fast = WordSimilarity.atLeast(x, 0, x.length, y, 0, y.length, positions, prefix, need);
                    if (matches >= need) {
                        assertEquals(expected, fast, 0.0, pair[0] + " " + pair[1] + " at " + threshold);
                        exact++;
                    } else {
                        assertEquals(-1, fast, 0.0, pair[0] + " " + pair[1] + " gives up at " + threshold);
                        assertTrue(expected < threshold, pair[0] + " " + pair[1] + " is below " + threshold);
                        gaveUp++;
                    }
                }
                WordSimilarity.clearPositions(searched, 0, searched.length, positions);
                for (long p : positions) {
                    assertEquals(0, p, "positions cleared");
                }
            }
        }
        assertTrue(exact > 500_000 && gaveUp > 100_000, "both outcomes tested: " + exact + ", " + gaveUp);
    }

    private static int sharedBound(char[] x, char[] y) {
        return WordSimilarity.lettersBound(
                WordSimilarity.letters(x, 0, x.length), x.length, WordSimilarity.letters(y, 0, y.length), y.length);
    }

    /** Jaro's matching characters of {@code a} and {@code b}, as commons-text counts them (its {@code matches}). */
    private static int matches(String a, String b) {
        String max = a.length() > b.length() ? a : b;
        String min = a.length() > b.length() ? b : a;
        int range = Math.max(max.length() / 2 - 1, 0);
        boolean[] matched = new boolean[max.length()];
        int matches = 0;
        for (int mi = 0; mi < min.length(); mi++) {
            for (int xi = Math.max(mi - range, 0), xn = Math.min(mi + range + 1, max.length()); xi < xn; xi++) {
                if (!matched[xi] && min.charAt(mi) == max.charAt(xi)) {
                    matched[xi] = true;
                    matches++;
                    break;
                }
            }
        }
        return matches;
    }

    private static String word(Random random, String letters) {
        return word(random, letters, 1 + random.nextInt(14));
    }

    private static String word(Random random, String letters, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(letters.charAt(random.nextInt(letters.length())));
        }
        return s.toString();
    }

    private static String varied(String a, Random random) {
        StringBuilder s = new StringBuilder(a);
        for (int e = 0, n = random.nextInt(4); e < n && s.length() > 1; e++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(4)) {
                case 0 -> s.setCharAt(at, (char) ('a' + random.nextInt(26)));
                case 1 -> s.insert(at, (char) ('a' + random.nextInt(26)));
                case 2 -> s.deleteCharAt(at);
                default -> {
                    char c = s.charAt(at);
                    s.deleteCharAt(at);
                    s.insert(Math.min(s.length(), at + 1 + random.nextInt(2)), c);
                }
            }
        }
        return s.toString();
    }
}
