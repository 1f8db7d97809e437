package org.vettedaccess.policy.incident;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Deadlines and the embargo of flaw and incident reports (issue 21). */
@ConfigMapping(prefix = "policy.incident")
public interface IncidentConfig {

    /** Deadlines for CRITICAL reports. */
    Critical critical();

    /** Deadlines for HIGH reports. */
    High high();

    /** Deadlines for MEDIUM reports. */
    Medium medium();

    /** Deadlines for LOW reports. */
    Low low();

    /** How long after filing the reporter may publish (coordinated disclosure; 90 days as in security practice). */
    @WithDefault("90d")
    Duration embargo();

    /**
     * Whether policy admins may move the incident clock (PUT /api/v1/incidents/test-clock); only the local suite's
     * end-to-end runs set it, to show a breached deadline without waiting a day. Never set in a deployment.
     */
    @WithDefault("false")
    boolean testClock();

    /** CRITICAL deadlines. */
    interface Critical {
        /** Time from filing to the lab's first answer. */
        @WithDefault("24h")
        Duration acknowledge();

        /** Time from filing to the mitigation. */
        @WithDefault("7d")
        Duration mitigate();
    }

    /** HIGH deadlines. */
    interface High {
        /** Time from filing to the lab's first answer. */
        @WithDefault("72h")
        Duration acknowledge();

        /** Time from filing to the mitigation. */
        @WithDefault("30d")
        Duration mitigate();
    }

    /** MEDIUM deadlines. */
    interface Medium {
        /** Time from filing to the lab's first answer. */
        @WithDefault("7d")
        Duration acknowledge();

        /** Time from filing to the mitigation. */
        @WithDefault("60d")
        Duration mitigate();
    }

    /** LOW deadlines. */
    interface Low {
        /** Time from filing to the lab's first answer. */
        @WithDefault("14d")
        Duration acknowledge();

        /** Time from filing to the mitigation. */
        @WithDefault("90d")
        Duration mitigate();
    }
}
