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

    private static final java.util.regex.Pattern OFAC_DOB =
            java.util.regex.Pattern.compile("DOB ((?:(\\d{1,2}) )?(?:([A-Z][a-z]{2}) )?(\\d{4}))");
    private static final java.util.List<String> MONTHS =
            java.util.List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

    /**
     * The birth dates in an SDN entry's remarks ("DOB 02 Mar 1971", "DOB Mar 1971", "DOB 1971"), as ISO 8601 dates
     * as precise as the list is ("1971-03-02", "1971-03", "1971").
     */
    static java.util.List<String> ofacBirthDates(String remarks) {
        java.util.List<String> dates = new java.util.ArrayList<>();
        if (remarks == null) {
            return dates;
        }
        java.util.regex.Matcher m = OFAC_DOB.matcher(remarks);
        while (m.find()) {
            String year = m.group(4);
            int month = m.group(3) == null ? -1 : MONTHS.indexOf(m.group(3)) + 1;
            if (month <= 0) {
                dates.add(year);
            } else if (m.group(2) == null) {
                dates.add(String.format(java.util.Locale.ROOT, "%s-%02d", year, month));
            } else {
                dates.add(String.format(
                        java.util.Locale.ROOT, "%s-%02d-%02d", year, month, Integer.parseInt(m.group(2))));
            }
        }
        return dates;
    }
}
