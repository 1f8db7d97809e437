package org.vettedaccess.policy.notify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the staff notices say: enough to act on, and nothing of the report's text or whose grant it was. */
class StaffMailTextTest {

    @Test
    void aFiledReportsNoticeNamesTheReportAndItsDeadlineOnly() {
        UUID id = UUID.randomUUID();
        Instant filed = Instant.parse("2026-12-02T04:00:00Z");
        StaffMail.Notice notice = StaffMail.filedNotice(new StaffMail.FiledReport(
                id, "sim-frontier", "PRIVACY_LEAK", "CRITICAL", filed, filed.plusSeconds(86_400)));
        assertTrue(notice.subject().contains(id.toString()) && notice.subject().contains("CRITICAL"));
        assertTrue(notice.text().contains("2026-12-03T04:00:00Z"), notice.text());
        assertTrue(notice.text().contains("neither"), notice.text());
    }

    @Test
    void aTripsNoticeNamesTheRuleTheFiguresAndWhatItEngaged() {
        UUID trip = UUID.randomUUID();
        UUID rule = UUID.randomUUID();
        UUID grant = UUID.randomUUID();
        StaffMail.Notice notice = StaffMail.tripNotice(new StaffMail.Trip(
                trip,
                rule,
                3,
                "SUBJECT_TOKENS_PER_HOUR",
                "sim-small",
                "SUSPEND_GRANT",
                Map.of("tokens", 90_000L),
                null,
                grant));
        assertTrue(notice.subject().contains(trip.toString()));
        assertTrue(notice.text().contains(rule + " v3"), notice.text());
        assertTrue(notice.text().contains("suspension of grant " + grant), notice.text());
        assertTrue(notice.text().contains("tokens=90000"), notice.text());
    }
}
