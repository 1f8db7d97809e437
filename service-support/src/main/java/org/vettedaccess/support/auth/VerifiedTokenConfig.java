package org.vettedaccess.support.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The verified-token cache ({@link VerifiedTokens}, ADR 0082), off unless a service turns it on. */
@ConfigMapping(prefix = "vetted.verified-tokens")
public interface VerifiedTokenConfig {

    /** How many verified bearer tokens this service remembers, never past their {@code exp}; 0 verifies every call. */
    @WithDefault("0")
    long cacheSize();

    /** The audience a token must name to be remembered; by default the service's name ({@code vetted.service.name}). */
    Optional<String> audience();
}
