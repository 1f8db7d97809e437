package org.vettedaccess.policy.handoff;

import java.time.Duration;
import java.time.Instant;
import org.vettedaccess.support.problem.ProblemException;

/**
 * What an admin sends to decide a hand-off, and the rules on it that need no database.
 *
 * @param days with issue: how long the grant lasts, capped by the tier's maximum and the KYC approval's end
 * @param reason with refuse: why, in words the researcher reads (required)
 */
public record HandoffDecision(Integer days, String reason) {

    static final int MAX_REASON = 1000;

    /** The refusal's reason, stripped; a missing, blank or overlong one is a 400 naming the field. */
    String refusalReason() {
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty() || text.length() > MAX_REASON) {
            throw ProblemException.invalidField(
                    "reason", "must say why, in 1 to " + MAX_REASON + " characters (the researcher reads it)");
        }
        return text;
    }

    /**
     * The grant's end: {@code days} from now (the tier's maximum if not given), never past the tier's maximum nor
     * the KYC approval's end.
     */
    Instant grantEnd(Instant now, int maxGrantDays, Instant kycUntil) {
        int asked = days == null ? maxGrantDays : days;
        if (asked < 1) {
            throw ProblemException.invalidField("days", "must be at least 1");
        }
        Instant end = now.plus(Duration.ofDays(Math.min(asked, maxGrantDays)));
        return kycUntil != null && kycUntil.isBefore(end) ? kycUntil : end;
    }
}
