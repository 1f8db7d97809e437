package org.vettedaccess.gateway.portal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A grant hand-off (an approval awaiting an admin's grant) as the admin's queue and the researcher's page show it. */
public record HandoffView(
        UUID id,
        String subject,
        int tier,
        List<String> models,
        String purpose,
        Instant kycUntil,
        String status,
        String reason,
        Instant decidedAt,
        Instant createdAt) {

    public HandoffView {
        models = models == null ? List.of() : models;
    }

    /** A row of the admin's queue: the hand-off and the researcher's name (null if it cannot be read). */
    public record Row(HandoffView handoff, String name) {}
}
