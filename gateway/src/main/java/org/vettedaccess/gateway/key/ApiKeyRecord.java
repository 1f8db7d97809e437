package org.vettedaccess.gateway.key;

import java.time.Instant;
import java.util.UUID;

/** One API key as stored: never the secret, only its hash. */
record ApiKeyRecord(
        UUID id,
        String subject,
        String name,
        String prefix,
        UUID grantId,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        UUID rotatedFrom,
        UUID replacedBy) {

    String status(Instant now) {
        if (revokedAt != null) {
            return "REVOKED";
        }
        if (!now.isBefore(expiresAt)) {
            return "EXPIRED";
        }
        return replacedBy != null ? "ROTATING" : "ACTIVE";
    }
}
