package org.vettedaccess.ledger.config;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Map;

/** Who may append what through {@code POST /api/v1/entries} (defaults in application.properties). */
@ConfigMapping(prefix = "ledger.appenders")
public interface AppendersConfig {

    /** Per service account (its Keycloak client id, the token's azp): the entry types it owns; "grant.*" is a family. */
    Map<String, List<String>> owns();
}
