package org.vettedaccess.gateway.tripwire;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Tripwires: the usage signals the gateway counts and how often it checks the rules on them. */
@ConfigMapping(prefix = "gateway.tripwire")
public interface TripwireConfig {

    /** Whether the gateway counts usage signals and checks the rules (off only to watch a trip test fail). */
    @WithDefault("true")
    boolean enabled();

    /** How often every replica checks the model rules (rates, off hours) on the shared counters. */
    @WithDefault("250ms")
    Duration evaluateInterval();

    /** How often the active rules are read again from access-policy. */
    @WithDefault("1s")
    Duration rulesInterval();
}
