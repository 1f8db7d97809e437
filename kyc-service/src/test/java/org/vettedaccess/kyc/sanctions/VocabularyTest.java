package org.vettedaccess.kyc.sanctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vocabulary's search, with its skips, finds exactly the words that comparing every word would: the same ids with
 * the same similarities (ADR 0096). A faster search must keep this test green. Searched on one thread and split in
 * two halves (as searches over many words are), with the same result.
 */
class VocabularyTest {

    @ParameterizedTest(name = "split from {0} words")
    @ValueSource(ints = {Integer.MAX_VALUE, 1})
    void neighboursAreExactlyWhatComparingEveryWordFinds(int splitFrom) {
        Random random = new Random(11);
        Set<String> distinct = new LinkedHashSet<>();
        // Few letters, so that words share letters and repeat them; digits, accented and other characters, which
        // share mask bits; and a few words longer than the 64 characters of the allocation-free similarity.
        String[] alphabets = {"abdeikmnorstuv", "aenrst", "abcdefghijklmnopqrstuvwxyz0123456789", "aeiouéøßж-'"};
        while (distinct.size() < 6_000) {
            distinct.add(word(random, alphabets[random.nextInt(alphabets.length)], 1 + random.nextInt(16)));
        }
        for (int i = 0; i < 20; i++) {
            distinct.add(word(random, "aenrst", 60 + random.nextInt(12)));
        }
        List<String> words = new ArrayList<>(distinct);
        Vocabulary vocabulary = Vocabulary.of(words, splitFrom);
        int[] ids = vocabulary.idsInInsertionOrder();
        for (int i = 0; i < words.size(); i++) {
            assertEquals(words.get(i), vocabulary.word(ids[i]));
        }
        int found = 0;
        for (int q = 0; q < 600; q++) {
            String screened = q % 3 == 0
                    ? varied(words.get(random.nextInt(words.size())), random)
                    : word(random, alphabets[q % alphabets.length], 1 + random.nextInt(q % 50 == 0 ? 70 : 16));
            for (double threshold : new double[] {0.82, 0.7, 0.9}) {
                TreeMap<Integer, Double> expected = new TreeMap<>();
                char[] x = screened.toCharArray();
                for (int id = 0; id < vocabulary.size(); id++) {
                    char[] y = vocabulary.word(id).toCharArray();
                    double similarity = WordSimilarity.symmetric(x, 0, x.length, y, 0, y.length);
                    if (similarity >= threshold) {
                        expected.put(id, similarity);
                    }
                }
                Vocabulary.Neighbours neighbours = vocabulary.neighbours(screened, threshold);
                TreeMap<Integer, Double> actual = new TreeMap<>();
                for (int k = 0; k < neighbours.words().length; k++) {
                    actual.put(neighbours.words()[k], neighbours.similarities()[k]);
                }
                assertEquals(neighbours.words().length, actual.size(), "each neighbour once");
                assertEquals(expected, actual, screened + " at " + threshold);
                found += expected.size();
            }
        }
        assertTrue(found > 2_000, "the sample has neighbours: " + found);
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
        for (int e = 0, n = 1 + random.nextInt(3); e < n && s.length() > 1; e++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(3)) {
                case 0 -> s.setCharAt(at, (char) ('a' + random.nextInt(26)));
                case 1 -> s.insert(at, (char) ('a' + random.nextInt(26)));
                default -> s.deleteCharAt(at);
            }
        }
        return s.toString();
    }
}
