package org.vettedaccess.gateway.key;

import java.time.Instant;
import java.util.UUID;

/** What the keys API takes and gives; records, never the stored rows. */
public final class KeyViews {

    private KeyViews() {}

    /**
     * A new key.
     *
     * @param name a label for the researcher (e.g. "laptop notebook")
     * @param grantId bind the key to this one grant (optional)
     * @param expiresInDays how long it lives; default and maximum come from the grant's tier
     */
    public record KeyRequest(String name, UUID grantId, Integer expiresInDays) {}

    /**
     * A key as its owner sees it afterwards.
     *
     * @param prefix the first characters of the secret, to tell keys apart
     * @param status ACTIVE, ROTATING (replaced, working until expiresAt), EXPIRED or REVOKED
     */
    public record KeyView(
            UUID id,
            String name,
            String prefix,
            UUID grantId,
            String status,
            Instant createdAt,
            Instant expiresAt,
            Instant revokedAt,
            UUID replacedBy) {

        static KeyView of(ApiKeyRecord key, Instant now) {
            return new KeyView(
                    key.id(),
                    key.name(),
                    key.prefix(),
                    key.grantId(),
                    key.status(now),
                    key.createdAt(),
                    key.expiresAt(),
                    key.revokedAt(),
                    key.replacedBy());
        }
    }

    /**
     * A key just made: the only time its secret is shown.
     *
     * @param key the secret, sent by clients as {@code Authorization: Bearer <key>}
     * @param previous on rotation, the replaced key, which works until its expiresAt
     */
    public record IssuedKey(String key, KeyView apiKey, KeyView previous) {}
}
