package org.vettedaccess.kyc.sanctions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Names reduced to a form that compares across scripts, accents, case and word order: the words of the ICU analysis
 * ({@link NameAnalyzer}: NFKC, transliterated to Latin, accents removed, lowercased, punctuation dropped), sorted.
 * The index and the scorer both use this form, so what is retrieved is what is scored.
 */
final class Names {

    static final NameAnalyzer ANALYZER = new NameAnalyzer();

    private Names() {}

    static String normalise(String name) {
        if (name == null || name.isBlank()) {
            return "";
        }
        List<String> words = new ArrayList<>();
        try (TokenStream tokens = ANALYZER.tokenStream("name", name)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                words.add(term.toString());
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String reader does not fail
        }
        words.sort(null);
        return String.join(" ", words);
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
