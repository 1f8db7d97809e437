package org.vettedaccess.gateway.policy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A subject's current grants and the models each allows now, from access-policy. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Entitlements(String subject, List<Grant> grants) {

    /** One current grant with its tier's API key lifetimes. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Grant(
            UUID grantId, int tier, List<String> models, Instant validUntil, int keyDefaultDays, int keyMaxDays) {}
}
