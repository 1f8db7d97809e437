package org.vettedaccess.policy.incident;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * The time reports are filed, answered and judged by: the policy's clock, plus an offset that only an end-to-end
 * run may set ({@code policy.incident.test-clock}), so a test can see a deadline pass without waiting a day. The
 * offset moves incident times only (grants, kill switches and decisions keep the real clock) and lives in this
 * replica's memory.
 */
@ApplicationScoped
public class IncidentClock {

    private final Clock clock;
    private final boolean movable;
    private volatile Duration offset = Duration.ZERO;

    public IncidentClock(Clock clock, IncidentConfig config) {
        this.clock = clock;
        this.movable = config.testClock();
    }

    /** To the microsecond, as PostgreSQL stores it, so a report reads back as it was answered. */
    public Instant now() {
        return clock.instant().plus(offset).truncatedTo(ChronoUnit.MICROS);
    }

    /** Moves the incident clock by {@code offset} from real time; a 404 unless this is a test run. */
    void offset(Duration offset) {
        if (!movable) {
            throw new ProblemException(ProblemType.NOT_FOUND, "There is no test clock here.");
        }
        if (offset == null || offset.isNegative() || offset.compareTo(Duration.ofDays(400)) > 0) {
            throw ProblemException.invalidField("offset", "must be an ISO 8601 duration from PT0S to P400D");
        }
        this.offset = offset;
    }

    Duration offset() {
        return offset;
    }
}
