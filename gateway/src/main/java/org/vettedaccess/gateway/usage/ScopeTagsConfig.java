package org.vettedaccess.gateway.usage;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;
import org.vettedaccess.ledger.core.ScopeTags;

/** Keyed scope tags on usage leaves (ADR 0046). */
@ConfigMapping(prefix = "gateway.scope-tags")
public interface ScopeTagsConfig {

    /**
     * The scope-tag key K (base64, at least 16 bytes; 32 random bytes recommended), from a secret, shared with the
     * regulators who check scoped kill switches; none: usage leaves carry no scope tags.
     */
    Optional<String> key();

    /** The parsed key, or null when none is configured (a malformed key stops the gateway at start). */
    default ScopeTags parsed() {
        return key().filter(k -> !k.isBlank()).map(ScopeTags::parse).orElse(null);
    }
}
