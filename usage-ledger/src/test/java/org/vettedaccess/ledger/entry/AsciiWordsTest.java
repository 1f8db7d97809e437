package org.vettedaccess.ledger.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The loops accept exactly what the validator's regexes accepted, on random strings near every boundary. */
class AsciiWordsTest {

    // Letters, digits, the punctuation of either class and its neighbours in ASCII, a space, non-ASCII look-alikes.
    private static final String ALPHABET = "aAzZ09fFgG._:/-,;@`[{ \t\u00e9\u0430\uff10\u212a";

    private static String random(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            // Mostly valid characters, so that long valid strings (and a single bad one in them) occur.
            text.append(
                    random.nextInt(8) == 0
                            ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                            : "abcdef0123456789".charAt(random.nextInt(16)));
        }
        return text.toString();
    }

    @Test
    void sameAnswersAsTheRegexes() {
        Pattern key = Pattern.compile("[A-Za-z0-9._:/-]{8,200}");
        Pattern subject = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
        Pattern hash = Pattern.compile("[0-9a-f]{64}");
        Random random = new Random(83);
        for (int i = 0; i < 200_000; i++) {
            int length = random.nextInt(4) == 0 ? 64 + random.nextInt(3) - 1 : random.nextInt(210);
            String text = random(random, length);
            assertEquals(key.matcher(text).matches(), AsciiWords.isWord(text, 8, 200, "._:/-"), text);
            assertEquals(subject.matcher(text).matches(), AsciiWords.isWord(text, 1, 128, "._:-"), text);
            assertEquals(hash.matcher(text).matches(), AsciiWords.isLowerHex(text, 64), text);
        }
    }
}
