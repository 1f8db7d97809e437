package org.vettedaccess.kyc.sanctions;

import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.Transliterator;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Names reduced to a form that compares across scripts, accents, case and word order: NFKC, transliterated to
 * Latin (ICU), accents removed, lowercased, punctuation dropped, and the words sorted.
 */
final class Names {

    private static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();
    /** Any script to Latin, then to ASCII (drops diacritics), then lowercase. Thread-safe once built. */
    private static final ThreadLocal<Transliterator> TO_LATIN =
            ThreadLocal.withInitial(() -> Transliterator.getInstance("Any-Latin; Latin-ASCII; Lower"));

    private Names() {}

    static String normalise(String name) {
        if (name == null) {
            return "";
        }
        String latin = TO_LATIN.get().transliterate(NFKC.normalize(name));
        String[] words = latin.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9 ]", " ")
                .trim()
                .split("\\s+");
        return Arrays.stream(words).filter(w -> !w.isEmpty()).sorted().collect(Collectors.joining(" "));
    }

    /** OFAC writes people as "LASTNAME, Firstnames"; the order does not matter once the words are sorted. */
    static String ofacName(String name) {
        return name == null ? "" : name.replace(",", " ");
    }
}
