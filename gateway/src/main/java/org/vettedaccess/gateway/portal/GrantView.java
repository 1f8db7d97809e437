package org.vettedaccess.gateway.portal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A grant as the portal's pages show it (the part of access-policy's grant they read). */
public record GrantView(
        UUID id,
        String subject,
        List<String> models,
        String purpose,
        int tier,
        Instant validUntil,
        String status,
        Long leafIndex) {

    public GrantView {
        models = models == null ? List.of() : models;
    }
}
