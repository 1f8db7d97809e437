package org.vettedaccess.policy.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private static final Instant FILED = Instant.parse("2026-03-01T10:00:00Z");

    private static IncidentConfig config(Map<String, String> properties) {
        // Quarkus's duration converter, as the service has it ("24h", "7d" as well as ISO 8601).
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(IncidentConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(IncidentConfig.class);
    }

    @Test
    void eachSeverityHasItsPublishedDefaultsAndTheEmbargoIsNinetyDays() {
        IncidentConfig defaults = config(Map.of());
        assertEquals(
                new Deadlines(Duration.ofHours(24), Duration.ofDays(7)), Deadlines.of(defaults, Severity.CRITICAL));
        assertEquals(new Deadlines(Duration.ofHours(72), Duration.ofDays(30)), Deadlines.of(defaults, Severity.HIGH));
        assertEquals(new Deadlines(Duration.ofDays(7), Duration.ofDays(60)), Deadlines.of(defaults, Severity.MEDIUM));
        assertEquals(new Deadlines(Duration.ofDays(14), Duration.ofDays(90)), Deadlines.of(defaults, Severity.LOW));
        assertEquals(Duration.ofDays(90), defaults.embargo());
        assertFalse(defaults.testClock(), "a deployment never has a movable clock");
    }

    @Test
    void aLabSetsItsOwnDeadlinesInConfiguration() {
        IncidentConfig lab = config(
                Map.of("policy.incident.critical.acknowledge", "4h", "policy.incident.critical.mitigate", "P2D"));
        Deadlines critical = Deadlines.of(lab, Severity.CRITICAL);
        assertEquals(Instant.parse("2026-03-01T14:00:00Z"), critical.acknowledgeBy(FILED));
        assertEquals(Instant.parse("2026-03-03T10:00:00Z"), critical.mitigateBy(FILED));
    }

    @Test
    void anUnansweredReportIsBreachedOnlyAfterItsDeadlineAndAnAnswerAtTheDeadlineIsOnTime() {
        Instant by = Deadlines.of(config(Map.of()), Severity.CRITICAL).acknowledgeBy(FILED);
        assertFalse(Deadlines.acknowledgementBreached(by, null, by.minusSeconds(1)));
        assertFalse(Deadlines.acknowledgementBreached(by, null, by));
        assertTrue(Deadlines.acknowledgementBreached(by, null, by.plusSeconds(1)));
        assertFalse(Deadlines.acknowledgementBreached(by, by, by.plus(Duration.ofDays(5))), "answered in time");
        assertTrue(
                Deadlines.acknowledgementBreached(by, by.plusSeconds(60), by.plus(Duration.ofDays(5))),
                "a late answer stays a breach");
    }

    @Test
    void aMitigationDeadlineIsOwedUntilMitigatedAndNotForARejectedReport() {
        Instant by = Deadlines.of(config(Map.of()), Severity.HIGH).mitigateBy(FILED);
        Instant after = by.plusSeconds(1);
        assertTrue(Deadlines.mitigationBreached(IncidentStatus.TRIAGED, by, null, after));
        assertFalse(Deadlines.mitigationBreached(IncidentStatus.TRIAGED, by, null, by));
        assertFalse(Deadlines.mitigationBreached(IncidentStatus.MITIGATED, by, by.minusSeconds(5), after));
        assertTrue(Deadlines.mitigationBreached(IncidentStatus.DISCLOSED, by, after, after.plusSeconds(9)));
        assertFalse(Deadlines.mitigationBreached(IncidentStatus.REJECTED, by, null, after));
    }
}
