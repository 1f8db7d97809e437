package org.vettedaccess.kyc.sanctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.junit.jupiter.api.Test;

class NamesTest {

    private static double score(String a, String b) {
        return SanctionsList.score(Names.normalise(a), Names.normalise(b));
    }

    @Test
    void namesCompareAcrossScriptsAccentsCaseAndOrder() {
        assertEquals("sanctionlisted viktor", Names.normalise("Viktor Sanctionlisted"));
        assertEquals("sanctionlisted viktor", Names.normalise("SANCTIONLISTED, Viktor"));
        assertEquals("sanctionlisted viktor", Names.normalise("Vîktor Sånctionlisted"));
        assertEquals(Names.normalise("Sanctionlisted Viktor"), Names.normalise("viktor  sanctionlisted"));
        // Cyrillic is transliterated; the result is close, not equal, so the threshold does the rest.
        assertTrue(
                score("Виктор Санкционлистед", "Viktor Sanctionlisted") >= 0.92,
                Names.normalise("Виктор Санкционлистед"));
        assertTrue(score("Viktor Sandberg", "Viktor Sanctionlisted") < 0.92, "a near miss is not a match");
        assertTrue(!Names.normalise("张演示人").isEmpty(), "Han is transliterated too");
        assertTrue(
                new JaroWinklerSimilarity()
                                .apply(
                                        Names.normalise("Виктор Санкционлистед"),
                                        Names.normalise("Viktor Sanctionlisted"))
                        < 0.92,
                "whole-string Jaro-Winkler alone would miss it, which is why words are compared");
    }

    @Test
    void csvRecordsKeepQuotedCommasAndQuotes() {
        List<List<String>> rows = Csv.parse("a,\"b, c\",\"d \"\"e\"\"\"\n1,2,3\n");
        assertEquals(List.of("a", "b, c", "d \"e\""), rows.get(0));
        assertEquals(List.of("1", "2", "3"), rows.get(1));
    }

    @Test
    void ofacRemarksGiveBirthDatesAsPreciseAsListed() {
        assertEquals(
                List.of("1971-03-02"), Names.ofacBirthDates("DOB 02 Mar 1971; demo fixture, not a real SDN entry."));
        assertEquals(List.of("1965-11", "1966"), Names.ofacBirthDates("DOB Nov 1965; alt. DOB 1966; POB Tehran."));
        assertEquals(List.of(), Names.ofacBirthDates("Demo fixture."));
        assertEquals(List.of(), Names.ofacBirthDates(null));
    }
}
