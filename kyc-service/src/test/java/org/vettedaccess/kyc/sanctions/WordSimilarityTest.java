package org.vettedaccess.kyc.sanctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.junit.jupiter.api.Test;

/** The allocation-free Jaro-Winkler is commons-text's, and the vocabulary's skip rules (length, prefix, shared letters, Jaro window) never skip a neighbour. */
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
                    assertTrue(
                            WordSimilarity.mayMatch(
                                    WordSimilarity.windows(x, y.length),
                                    WordSimilarity.counts(x),
                                    new int[64],
                                    y,
                                    0,
                                    withPrefix),
                            a + " " + b + " in the window at " + threshold);
                    assertTrue(
                            WordSimilarity.mayMatch(
                                    WordSimilarity.windows(y, x.length),
                                    WordSimilarity.counts(y),
                                    new int[64],
                                    x,
                                    0,
                                    withPrefix),
                            b + " " + a + " in the window at " + threshold);
                }
            }
        }
        assertTrue(near > 10_000, "the sample has neighbours to test the bounds on: " + near);
    }

    private static String word(Random random, String letters) {
        StringBuilder s = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(14); i < n; i++) {
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
