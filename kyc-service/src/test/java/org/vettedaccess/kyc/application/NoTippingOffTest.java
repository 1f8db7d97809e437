package org.vettedaccess.kyc.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoTippingOffTest {

    private static ApplicationView.Check sanctions(String result, String detail) {
        return new ApplicationView.Check(
                "sanctions", "Viktor Sanctionlisted", result, detail, Instant.parse("2026-12-01T10:00:00Z"));
    }

    private static EventEntity event(String state, String actor, String reason) {
        EventEntity event = new EventEntity();
        event.state = state;
        event.actor = actor;
        event.reason = reason;
        event.at = Instant.parse("2026-12-01T10:00:00Z");
        return event;
    }

    @Test
    void aHitAndNoHitReadTheSameToTheApplicant() {
        ApplicationView.Check hit =
                sanctions("REVIEW", "possible match: ofac:sdn.csv 90001 \"SANCTIONLISTED, Viktor\" (score 1.000);");
        ApplicationView.Check clean = sanctions("PASS", "no listed name at or above 0.92 among 7 entries");
        for (String state : List.of("IN_REVIEW", "APPROVED", "REJECTED", "CHANGES_REQUESTED", "SUSPENDED")) {
            ApplicationView.Check shownHit = NoTippingOff.check(hit, state);
            assertEquals(NoTippingOff.check(clean, state), shownHit, state);
            assertFalse(shownHit.detail().contains("90001") || shownHit.detail().contains("score"), state);
        }
        assertEquals(
                "additional checks in progress",
                NoTippingOff.check(hit, "IN_REVIEW").detail());
        assertEquals("REVIEW", NoTippingOff.check(hit, "IN_REVIEW").result());
        assertEquals("PASS", NoTippingOff.check(hit, "APPROVED").result());
    }

    @Test
    void aReScreenSuspensionAndTheReviewItReopensHideTheCandidates() {
        List<ApplicationView.Event> timeline = NoTippingOff.timeline(List.of(
                event("SUBMITTED", "subject-1", "submitted for vetting"),
                event("IN_REVIEW", "kyc-service", "checks done; waiting for a reviewer"),
                event("APPROVED", "rita", "fine"),
                event(
                        "SUSPENDED",
                        "kyc-service",
                        "re-screen found a possible match: ofac:sdn.csv 90001 (score 1.000);"),
                event("IN_REVIEW", "kyc-service", "re-screen hit: a reviewer must decide")));
        assertEquals("checks done; waiting for a reviewer", timeline.get(1).reason());
        assertEquals("fine", timeline.get(2).reason());
        assertEquals("additional checks in progress", timeline.get(3).reason());
        assertEquals("additional checks in progress", timeline.get(4).reason());
    }
}
