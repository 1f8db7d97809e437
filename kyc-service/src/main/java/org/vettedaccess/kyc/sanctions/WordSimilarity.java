package org.vettedaccess.kyc.sanctions;

import java.util.Arrays;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * Jaro-Winkler similarity of two words, the same value as commons-text's {@link JaroWinklerSimilarity} (which the
 * scorer uses), computed on slices of char arrays without allocating, plus the bounds the candidate generator needs
 * (ADR 0096): how many matching characters two words of given lengths need to reach a similarity, and letter-set
 * signatures whose overlap bounds the matches from above.
 */
final class WordSimilarity {

    private static final JaroWinklerSimilarity COMMONS = new JaroWinklerSimilarity();
    /** Winkler's prefix scale and the longest prefix it rewards, as commons-text has them. */
    private static final double PREFIX_SCALE = 0.1;

    private static final int MAX_PREFIX = 4;
    /** Below this Jaro similarity no prefix bonus is given (commons-text). */
    private static final double BOOST_FROM = 0.7;

    private WordSimilarity() {}

    /** Jaro-Winkler of {@code a[ao, ao+al)} and {@code b[bo, bo+bl)}, in that order (as commons-text's apply(a, b)). */
    static double of(char[] a, int ao, int al, char[] b, int bo, int bl) {
        if (al == bl && Arrays.equals(a, ao, ao + al, b, bo, bo + bl)) {
            return 1;
        }
        // The longer word is searched, the shorter (the first of two equal ones) walked, as in commons-text.
        boolean firstLonger = al > bl;
        char[] x = firstLonger ? a : b;
        int xo = firstLonger ? ao : bo;
        int xl = firstLonger ? al : bl;
        char[] y = firstLonger ? b : a;
        int yo = firstLonger ? bo : ao;
        int yl = firstLonger ? bl : al;
        if (xl > Long.SIZE) {
            return COMMONS.apply(new String(a, ao, al), new String(b, bo, bl));
        }
        int range = Math.max(xl / 2 - 1, 0);
        long xMatched = 0;
        long yMatched = 0;
        int matches = 0;
        for (int yi = 0; yi < yl; yi++) {
            char c = y[yo + yi];
            for (int xi = Math.max(yi - range, 0), xn = Math.min(yi + range + 1, xl); xi < xn; xi++) {
                if ((xMatched & (1L << xi)) == 0 && c == x[xo + xi]) {
                    xMatched |= 1L << xi;
                    yMatched |= 1L << yi;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0;
        }
        int halfTranspositions = 0;
        for (long ys = yMatched, xs = xMatched; ys != 0; ys &= ys - 1, xs &= xs - 1) {
            if (y[yo + Long.numberOfTrailingZeros(ys)] != x[xo + Long.numberOfTrailingZeros(xs)]) {
                halfTranspositions++;
            }
        }
        int prefix = prefix(a, ao, al, b, bo, bl);
        double m = matches;
        double jaro = (m / al + m / bl + (m - (double) halfTranspositions / 2) / m) / 3;
        return jaro < BOOST_FROM ? jaro : jaro + PREFIX_SCALE * prefix * (1d - jaro);
    }

    /** {@link #bit}s below this are one letter or digit each; the others are shared by the other characters. */
    static final int LETTER_BITS = 36;

    /**
     * Can {@link #atLeast} search this word: at most 64 characters, letters and digits only (the words of {@link
     * NameAnalyzer}), so that each {@link #bit} below {@link #LETTER_BITS} is one character. {@code mask} is its
     * {@link #mask}.
     */
    static boolean searchable(int length, long mask) {
        return length <= Long.SIZE && mask >>> LETTER_BITS == 0;
    }

    /** Adds the positions of each letter of a {@link #searchable} word to {@code positions}, by {@link #bit}. */
    static void addPositions(char[] word, int offset, int length, long[] positions) {
        for (int i = 0; i < length; i++) {
            positions[bit(word[offset + i])] |= 1L << i;
        }
    }

    /** Clears what {@link #addPositions} set for this word. */
    static void clearPositions(char[] word, int offset, int length, long[] positions) {
        for (int i = 0; i < length; i++) {
            positions[bit(word[offset + i])] = 0;
        }
    }

    /**
     * Jaro-Winkler of {@code a} then {@code b}, the value {@link #of} gives, if at least {@code need} characters
     * match; otherwise -1, as soon as the rest of the walk cannot make up the matches (with {@code need}
     * from {@link #matchesNeeded} for their lengths and {@code prefix}, their {@link #prefix}, the value is then below
     * the threshold). Jaro searches the longer word ({@code b} if the lengths are equal) for each character of the
     * other; {@code searched} holds that word's positions ({@link #addPositions}), and it must be {@link #searchable}:
     * each step is then a few operations on 64-bit sets, where {@link #of} reads the whole window.
     */
    static double atLeast(char[] a, int ao, int al, char[] b, int bo, int bl, long[] searched, int prefix, int need) {
        boolean firstLonger = al > bl;
        char[] x = firstLonger ? a : b;
        int xo = firstLonger ? ao : bo;
        int xl = firstLonger ? al : bl;
        char[] y = firstLonger ? b : a;
        int yo = firstLonger ? bo : ao;
        int yl = firstLonger ? bl : al;
        int range = Math.max(xl / 2 - 1, 0);
        long xMatched = 0;
        long yMatched = 0;
        int matches = 0;
        for (int yi = 0; yi < yl; yi++) {
            int letter = bit(y[yo + yi]);
            if (letter < LETTER_BITS) {
                int hi = Math.min(yi + range + 1, xl);
                long window = (hi == Long.SIZE ? -1L : (1L << hi) - 1) & (-1L << Math.max(yi - range, 0));
                // The first unmatched occurrence within the window, as the loop in of() finds it.
                long free = searched[letter] & window & ~xMatched;
                if (free != 0) {
                    xMatched |= free & -free;
                    yMatched |= 1L << yi;
                    matches++;
                    continue;
                }
            }
            if (matches + yl - 1 - yi < need) {
                return -1;
            }
        }
        if (matches < need) {
            return -1;
        }
        if (matches == 0) {
            return 0;
        }
        int halfTranspositions = 0;
        for (long ys = yMatched, xs = xMatched; ys != 0; ys &= ys - 1, xs &= xs - 1) {
            if (y[yo + Long.numberOfTrailingZeros(ys)] != x[xo + Long.numberOfTrailingZeros(xs)]) {
                halfTranspositions++;
            }
        }
        double m = matches;
        double jaro = (m / al + m / bl + (m - (double) halfTranspositions / 2) / m) / 3;
        return jaro < BOOST_FROM ? jaro : jaro + PREFIX_SCALE * prefix * (1d - jaro);
    }

    /** Both orders' best: commons-text's value may differ by order for words of equal length (greedy matching). */
    static double symmetric(char[] a, int ao, int al, char[] b, int bo, int bl) {
        double ab = of(a, ao, al, b, bo, bl);
        return al != bl ? ab : Math.max(ab, of(b, bo, bl, a, ao, al));
    }

    /**
     * The fewest matching characters with which a word of length {@code la} and one of length {@code lb} whose
     * common prefix (up to 4) is {@code prefix} can reach Jaro-Winkler {@code score}, or {@code Integer.MAX_VALUE}
     * if none can. With {@code m} matches the Jaro similarity is at most {@code (m/la + m/lb + 1) / 3} (no
     * transposition), and Winkler's bonus is {@code 0.1 * prefix * (1 - jaro)} from Jaro 0.7 on. A negative
     * {@code prefix} means unknown: the largest possible, {@code min(4, la, lb)}.
     */
    static int matchesNeeded(int la, int lb, double score, int prefix) {
        int most = Math.min(la, lb);
        int bonus = prefix < 0 ? Math.min(MAX_PREFIX, most) : prefix;
        for (int m = 1; m <= most; m++) {
            double jaro = ((double) m / la + (double) m / lb + 1) / 3;
            double best = jaro < BOOST_FROM ? jaro : jaro + PREFIX_SCALE * bonus * (1 - jaro);
            if (best >= score - 1e-12) { // rounding may only keep more words
                return m;
            }
        }
        return Integer.MAX_VALUE;
    }

    static int matchesNeeded(int la, int lb, double score) {
        return matchesNeeded(la, lb, score, -1);
    }

    /** The common prefix of two words, up to 4 letters: Winkler's {@code prefix}, the same in either order. */
    static int prefix(char[] a, int ao, int al, char[] b, int bo, int bl) {
        int prefix = 0;
        for (int i = 0, n = Math.min(MAX_PREFIX, Math.min(al, bl)); i < n && a[ao + i] == b[bo + i]; i++) {
            prefix++;
        }
        return prefix;
    }

    /**
     * The set of letters (and digits) a word uses, one bit each (other characters share 28 more bits by their
     * code). Two words' matches are at most {@code bitCount(maskA & maskB) + min(repeatsA, repeatsB)}, where a
     * word's repeats are its length less the bits it sets: each match pairs two equal characters, so per shared
     * letter no more matches than the fewer occurrences, which is one plus that letter's repeats.
     */
    static long mask(char[] word, int offset, int length) {
        long mask = 0;
        for (int i = offset; i < offset + length; i++) {
            mask |= 1L << bit(word[i]);
        }
        return mask;
    }

    /** {@link #letters} bits of the letters a-z present twice or more start here; digits at 52, others at 62. */
    private static final int TWICE = 26;

    /**
     * A word's letters counted up to two occurrences, in one 64-bit set: the letters a-z present (bits 0-25) and
     * present twice or more (26-51), the digits present (52-61), and the other characters by the parity of their code
     * (62, 63). Each bit stands for occurrences of one bucket of characters (a letter, a digit, or the other
     * characters of one parity) up to a cap (two, one, one); the occurrences beyond the caps are the word's length
     * less the bits it sets. See {@link #lettersBound}.
     */
    static long letters(char[] word, int offset, int length) {
        long once = 0;
        long twice = 0;
        for (int i = offset; i < offset + length; i++) {
            char c = word[i];
            long b;
            if (c >= 'a' && c <= 'z') {
                b = 1L << (c - 'a');
                twice |= once & b;
            } else if (c >= '0' && c <= '9') {
                b = 1L << (52 + c - '0');
            } else {
                b = 1L << (62 + (c & 1));
            }
            once |= b;
        }
        return once | twice << TWICE;
    }

    /** Has a word with these {@link #letters} only letters a-z and digits (a {@link #searchable} character set)? */
    static boolean lettersAndDigits(long letters) {
        return letters >>> 62 == 0;
    }

    /**
     * An upper bound on the matches of two words of lengths {@code la} and {@code lb} from their {@link #letters}:
     * the bits both set, plus the fewer of their occurrences beyond the caps. Each match pairs two equal characters,
     * so per bucket of characters at most the fewer occurrences match, which is at most the fewer up to the cap (the
     * bits both set) plus the fewer beyond it; summed over buckets, the latter is at most the smaller sum.
     */
    static int lettersBound(long a, int la, long b, int lb) {
        return Long.bitCount(a & b) + Math.min(la - Long.bitCount(a), lb - Long.bitCount(b));
    }

    private static int bit(char c) {
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= '0' && c <= '9') {
            return 26 + c - '0';
        }
        return 36 + c % 28;
    }
}
