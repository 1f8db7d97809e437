package org.vettedaccess.ledger.entry;

/**
 * The validator's character-class checks as loops rather than regexes: an idempotency key, a subject id and a hash
 * are checked on every entry, and the three {@code Pattern.matches} were about 8 % of an append's CPU (ADR 0083).
 * Each method accepts exactly what its regex in the comment accepts ({@code AsciiWordsTest} compares them).
 */
final class AsciiWords {

    private AsciiWords() {}

    /** {@code [A-Za-z0-9<punctuation>]{min,max}}. */
    static boolean isWord(String text, int min, int max, String punctuation) {
        int length = text.length();
        if (length < min || length > max) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && punctuation.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code [0-9a-f]{length}}. */
    static boolean isLowerHex(String text, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
