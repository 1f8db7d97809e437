package org.vettedaccess.kyc.sanctions;

/**
 * The {@link WordSimilarity#letters} of every vocabulary word, sliced: for each block of 64 consecutive word ids,
 * one 64-bit set per letter bit, holding the words that have that bit. The vocabulary's sweep asks, block by block,
 * which words share at least {@code least} of the screened word's letter bits: with the screened word's {@code k} bits
 * that is at most {@code k - least} of them missing, counted for 64 words at once (a few and/or per bit and block,
 * saturating at one more than allowed), the screened word's rarest bits first, and the block is left as soon as every
 * word in it misses too many. Exact: a word is dropped only if it misses more bits than allowed, which {@code
 * LetterSlicesTest} checks against counting each word.
 */
final class LetterSlices {

    /** Block {@code b}'s set for letter bit {@code i} is {@code slices[b * 64 + i]}; bit {@code id % 64} is word id. */
    private final long[] slices;
    /** How many words have each letter bit: the rarest bits of a screened word are tried first. */
    private final int[] frequency = new int[Long.SIZE];

    LetterSlices(long[] letters) {
        slices = new long[((letters.length + 63) >>> 6) << 6];
        for (int id = 0; id < letters.length; id++) {
            for (long bits = letters[id]; bits != 0; bits &= bits - 1) {
                int bit = Long.numberOfTrailingZeros(bits);
                slices[(id >>> 6) << 6 | bit] |= 1L << id;
                frequency[bit]++;
            }
        }
    }

    /** One screened word's letter bits, rarest first, and the scratch of a block's miss counts. */
    final class Sought {
        final int[] bits;
        /** {@code missed[j]}: the words of the block that miss at least {@code j + 1} of the bits tried so far. */
        private final long[] missed;

        private Sought(long letters) {
            bits = new int[Long.bitCount(letters)];
            int n = 0;
            for (long b = letters; b != 0; b &= b - 1) {
                bits[n++] = Long.numberOfTrailingZeros(b);
            }
            for (int i = 1; i < n; i++) { // insertion sort by frequency: at most 64 bits
                int bit = bits[i];
                int j = i - 1;
                for (; j >= 0 && frequency[bits[j]] > frequency[bit]; j--) {
                    bits[j + 1] = bits[j];
                }
                bits[j + 1] = bit;
            }
            missed = new long[n + 1];
        }

        /**
         * The words of block {@code block} (bit {@code id % 64}) that have at least {@code least} of these bits, among
         * {@code candidates} (the block's words still asked about).
         */
        long sharing(int block, int least, long candidates) {
            int allowed = bits.length - least; // bits a word may miss
            if (allowed < 0) {
                return 0;
            }
            if (allowed >= bits.length || candidates == 0) {
                return candidates;
            }
            long[] m = missed;
            for (int j = 0; j <= allowed; j++) {
                m[j] = 0;
            }
            long out = ~candidates; // words not asked about count as dropped
            int base = block << 6;
            for (int bit : bits) {
                long lacking = ~slices[base | bit];
                for (int j = allowed; j > 0; j--) {
                    m[j] |= m[j - 1] & lacking;
                }
                m[0] |= lacking;
                if ((m[allowed] | out) == -1L) {
                    return 0;
                }
            }
            return ~(m[allowed] | out);
        }
    }

    /** The bits of a screened word's {@link WordSimilarity#letters}, ready for {@link Sought#sharing}. */
    Sought sought(long letters) {
        return new Sought(letters);
    }

    /** The words with ids in {@code from .. to)} among block {@code block}'s 64, as a set. */
    static long range(int block, int from, int to) {
        long lo = (long) block << 6;
        long hi = lo + 64;
        if (to <= lo || from >= hi) {
            return 0;
        }
        long upper = to >= hi ? -1L : (1L << (to - lo)) - 1;
        long lower = from <= lo ? -1L : -1L << (from - lo);
        return upper & lower;
    }
}
