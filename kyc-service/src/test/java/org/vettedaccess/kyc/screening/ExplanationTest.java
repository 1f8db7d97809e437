package org.vettedaccess.kyc.screening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vettedaccess.kyc.sanctions.SanctionsList;

class ExplanationTest {

    private static SanctionsList.Candidate listed(List<String> birthDates, List<String> countries) {
        return new SanctionsList.Candidate(
                "opensanctions:targets.simple.csv",
                "demo-0001",
                "Viktor Sanctionlisted",
                "sanctionlisted viktor",
                1.0,
                null,
                birthDates,
                countries);
    }

    @Test
    void aNamesakeBornOnAnotherDateIsMarkedAndExplained() {
        Explanation e = Explanation.of(
                new Explanation.Screened("Viktor Sanctionlisted", LocalDate.parse("1990-05-17"), "DE"),
                listed(List.of("1971-03-02"), List.of("ru")));
        assertTrue(e.birthDateDiffers());
        assertEquals(
                "name matched \"sanctionlisted viktor\" (score 1.000); birth date differs (applicant 1990-05-17,"
                        + " listed 1971-03-02); nationality differs (applicant DE, listed ru)",
                e.text());
    }

    @Test
    void aPartialListedDateAgreesWithinItAndMissingIdentifiersAreSaidSo() {
        Explanation year = Explanation.of(
                new Explanation.Screened("x", LocalDate.parse("1971-03-02"), "RU"),
                listed(List.of("1970", "1971-03"), List.of("ru")));
        assertFalse(year.birthDateDiffers());
        assertTrue(
                year.text().contains("birth date agrees") && year.text().contains("nationality agrees"), year.text());
        Explanation none =
                Explanation.of(new Explanation.Screened("x", null, null), listed(List.of("1971"), List.of()));
        assertFalse(none.birthDateDiffers(), "an applicant who gave no date is not marked as differing");
        assertTrue(none.text().contains("birth date not given by the applicant (listed 1971)"), none.text());
        assertTrue(none.text().contains("nationality not on the list"), none.text());
    }
}
