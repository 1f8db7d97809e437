package org.vettedaccess.kyc.application;

import java.util.ArrayList;
import java.util.List;

/**
 * What the researcher is shown of their sanctions screening: never a list name, entry id, listed name or score.
 * Telling a screened person about a possible list match is the tipping-off that compliance practice forbids, and
 * even "no match" against "possible match" would tell, so every applicant reads the same neutral words: checks in
 * progress while a reviewer decides, completed once decided. The stored check (and the candidates) stay for
 * reviewers.
 */
final class NoTippingOff {

    static final String IN_PROGRESS = "additional checks in progress";
    static final String COMPLETED = "screening completed";

    private NoTippingOff() {}

    /** The sanctions check as its researcher sees it; the result follows the application, not the lists. */
    static ApplicationView.Check check(ApplicationView.Check check, String state) {
        boolean approved = state.equals(ApplicationState.APPROVED) || state.equals(ApplicationState.EXPIRED);
        boolean open = state.equals(ApplicationState.SUBMITTED)
                || state.equals(ApplicationState.SCREENING)
                || state.equals(ApplicationState.IN_REVIEW)
                || state.equals(ApplicationState.SUSPENDED);
        return new ApplicationView.Check(
                check.name(),
                check.input(),
                approved ? "PASS" : "REVIEW",
                open ? IN_PROGRESS : COMPLETED,
                check.ranAt());
    }

    /**
     * The timeline as its researcher sees it. A re-screen's suspension and the review it reopens carry the
     * candidates in their reasons; the researcher reads only that additional checks are in progress.
     */
    static List<ApplicationView.Event> timeline(List<EventEntity> events) {
        List<ApplicationView.Event> timeline = new ArrayList<>();
        boolean suspended = false;
        for (EventEntity e : events) {
            boolean system = "kyc-service".equals(e.actor);
            boolean hidden = system
                    && (e.state.equals(ApplicationState.SUSPENDED)
                            || (suspended && e.state.equals(ApplicationState.IN_REVIEW)));
            timeline.add(new ApplicationView.Event(e.state, e.at, hidden ? IN_PROGRESS : e.reason));
            suspended = e.state.equals(ApplicationState.SUSPENDED);
        }
        return timeline;
    }
}
