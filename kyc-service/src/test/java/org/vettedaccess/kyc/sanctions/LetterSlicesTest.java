package org.vettedaccess.kyc.sanctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The letter slices keep exactly the words that share at least the asked number of the screened word's letter bits
 * (the vocabulary's first test): every block, against counting each word's shared bits, for random words over few
 * letters (so that many are at the limit), random thresholds and random subsets of a block.
 */
class LetterSlicesTest {

    @Test
    void sharingIsCountingEachWord() {
        Random random = new Random(23);
        String[] alphabets = {"aenrst", "abdeikmnorstuv", "abcdefghijklmnopqrstuvwxyz0123456789", "aeé-ж01"};
        long[] letters = new long[5_000 + random.nextInt(64)];
        for (int id = 0; id < letters.length; id++) {
            letters[id] = letters(random, alphabets[random.nextInt(alphabets.length)]);
        }
        LetterSlices slices = new LetterSlices(letters);
        int kept = 0;
        int dropped = 0;
        for (int q = 0; q < 3_000; q++) {
            long sought = letters(random, alphabets[q % alphabets.length]);
            LetterSlices.Sought bits = slices.sought(sought);
            int least = random.nextInt(Long.bitCount(sought) + 3) - 1;
            int block = random.nextInt((letters.length + 63) / 64);
            long candidates = q % 2 == 0 ? -1L : random.nextLong();
            candidates &= LetterSlices.range(block, 0, letters.length);
            long expected = 0;
            for (int bit = 0; bit < 64; bit++) {
                int id = block * 64 + bit;
                if ((candidates & 1L << bit) != 0 && Long.bitCount(sought & letters[id]) >= least) {
                    expected |= 1L << bit;
                }
            }
            assertEquals(expected, bits.sharing(block, least, candidates), "block " + block + ", at least " + least);
            kept += Long.bitCount(expected);
            dropped += Long.bitCount(candidates & ~expected);
        }
        assertTrue(kept > 10_000 && dropped > 10_000, "both outcomes tested: " + kept + ", " + dropped);
    }

    @Test
    void rangeIsTheIdsOfTheBlock() {
        for (int block = 0; block < 4; block++) {
            for (int from = 0; from < 300; from += 7) {
                for (int to = from; to < 300; to += 5) {
                    long expected = 0;
                    for (int bit = 0; bit < 64; bit++) {
                        int id = block * 64 + bit;
                        if (id >= from && id < to) {
                            expected |= 1L << bit;
                        }
                    }
                    assertEquals(expected, LetterSlices.range(block, from, to), block + ": " + from + ".." + to);
                }
            }
        }
    }

    private static long letters(Random random, String alphabet) {
        char[] word = new char[1 + random.nextInt(14)];
        for (int i = 0; i < word.length; i++) {
            word[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return WordSimilarity.letters(word, 0, word.length);
    }
}
