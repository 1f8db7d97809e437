package org.vettedaccess.policy.incident;

import java.time.Duration;
import java.time.Instant;

/**
 * The deadline arithmetic: when the lab must first answer a report and when it must mitigate it, counted from
 * filing, and whether either is breached at a given moment. Plain logic, so it is tested without a database.
 *
 * @param acknowledge the time from filing to the lab's first answer
 * @param mitigate the time from filing to the mitigation
 */
public record Deadlines(Duration acknowledge, Duration mitigate) {

    static Deadlines of(IncidentConfig config, Severity severity) {
        return switch (severity) {
            case CRITICAL ->
                new Deadlines(config.critical().acknowledge(), config.critical().mitigate());
            case HIGH ->
                new Deadlines(config.high().acknowledge(), config.high().mitigate());
            case MEDIUM ->
                new Deadlines(config.medium().acknowledge(), config.medium().mitigate());
            case LOW -> new Deadlines(config.low().acknowledge(), config.low().mitigate());
        };
    }

    Instant acknowledgeBy(Instant reportedAt) {
        return reportedAt.plus(acknowledge);
    }

    Instant mitigateBy(Instant reportedAt) {
        return reportedAt.plus(mitigate);
    }

    /**
     * Whether the acknowledgement deadline is breached at {@code now}: the first answer came after it, or there is
     * none and the deadline has passed. An answer exactly at the deadline is on time.
     */
    static boolean acknowledgementBreached(Instant acknowledgeBy, Instant answeredAt, Instant now) {
        Instant answer = answeredAt != null ? answeredAt : now;
        return answer.isAfter(acknowledgeBy);
    }

    /**
     * Whether the mitigation deadline is breached at {@code now}: mitigated after it, or still open after it. A
     * rejected report has no mitigation to owe.
     */
    static boolean mitigationBreached(IncidentStatus status, Instant mitigateBy, Instant mitigatedAt, Instant now) {
        if (status == IncidentStatus.REJECTED) {
            return false;
        }
        Instant mitigation = mitigatedAt != null ? mitigatedAt : now;
        return mitigation.isAfter(mitigateBy);
    }
}
