package org.vettedaccess.gateway.owner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the gateway notices that a key owner's Keycloak account was disabled, deleted or lost its role. */
@ConfigMapping(prefix = "gateway.owner-watch")
public interface OwnerWatchConfig {

    /** Whether the watch runs (off only where there is no Keycloak admin API to read, e.g. a unit test). */
    @WithDefault("true")
    boolean enabled();

    /** The realm whose accounts own the keys. */
    @WithDefault("vetted-access")
    String realm();

    /** The realm role an account needs to hold API keys. */
    @WithDefault("researcher")
    String role();

    /** How often Keycloak's admin events are read; keys of a disabled owner stop within this plus the key cache. */
    @WithDefault("300ms")
    Duration interval();

    /** How often every key owner is checked again, for changes the events missed (Keycloak or this replica down). */
    @WithDefault("10m")
    Duration sweepInterval();
}
