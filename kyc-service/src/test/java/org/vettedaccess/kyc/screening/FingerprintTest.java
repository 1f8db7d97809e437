package org.vettedaccess.kyc.screening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vettedaccess.kyc.sanctions.SanctionsList;

/** What makes a re-screen's candidate new: the same entry cleared for the same data is not; any change is. */
class FingerprintTest {

    private static final Explanation.Screened APPLICANT =
            new Explanation.Screened("Viktor Sanctionlisted", LocalDate.parse("1990-05-17"), "DE");

    private static SanctionsList.Candidate entry(String version, List<String> birthDates, String matched) {
        return new SanctionsList.Candidate(
                "opensanctions:targets.simple.csv",
                "demo-0001",
                "Viktor Sanctionlisted",
                matched,
                1.0,
                version,
                birthDates,
                List.of("ru"));
    }

    @Test
    void theSameEntryAndApplicantAreTheSameCandidateWhateverElseTheListFileChanged() {
        assertEquals(
                ScreeningService.fingerprint(APPLICANT, entry("sha256=aaa", List.of("1971-03-02"), "a b")),
                ScreeningService.fingerprint(APPLICANT, entry("sha256=bbb", List.of("1971-03-02"), "a b")));
    }

    @Test
    void aChangedEntryOrChangedApplicantDataIsNew() {
        String cleared = ScreeningService.fingerprint(APPLICANT, entry("v1", List.of("1971-03-02"), "a b"));
        assertNotEquals(cleared, ScreeningService.fingerprint(APPLICANT, entry("v1", List.of("1990-05-17"), "a b")));
        assertNotEquals(cleared, ScreeningService.fingerprint(APPLICANT, entry("v1", List.of("1971-03-02"), "a c")));
        assertNotEquals(
                cleared,
                ScreeningService.fingerprint(
                        new Explanation.Screened("Viktor Sanctionlisted", LocalDate.parse("1971-03-02"), "DE"),
                        entry("v1", List.of("1971-03-02"), "a b")));
        assertNotEquals(
                cleared,
                ScreeningService.fingerprint(
                        new Explanation.Screened("Viktor Sanctionlisted", LocalDate.parse("1990-05-17"), "RU"),
                        entry("v1", List.of("1971-03-02"), "a b")));
    }
}
