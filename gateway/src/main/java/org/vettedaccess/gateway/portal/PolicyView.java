package org.vettedaccess.gateway.portal;

import java.time.Instant;
import java.util.List;
import org.vettedaccess.contracts.policy.ModelRecord;

/**
 * What the policy admin's overview shows: kill switches, the tiers and the changes waiting. The catalog's models are
 * access-policy's own {@link ModelRecord}s.
 */
public final class PolicyView {

    private PolicyView() {}

    /**
     * A kill switch and its state (ENGAGED, RELEASE_REQUESTED or RELEASED); {@code model} set only on an INSTITUTION
     * or COUNTRY switch that stops one model (ADR 0045).
     */
    public record KillSwitch(
            String id,
            String scope,
            String value,
            String model,
            String reason,
            String state,
            String engagedBy,
            Instant engagedAt,
            String releaseRequestedBy) {}

    /** A tier's current version. */
    public record Tier(
            int tier,
            int version,
            int minAssurance,
            int rpm,
            int inputTpm,
            int outputTpm,
            Long tokenBudget,
            int maxTokens,
            List<String> endpoints,
            int maxGrantDays,
            Boolean autoGrant) {

        public Tier {
            endpoints = endpoints == null ? List.of() : endpoints;
        }
    }

    /** A catalog or tier change waiting for a second admin. */
    public record Change(
            String id,
            String kind,
            String target,
            ModelRecord model,
            Tier tier,
            String requestedBy,
            Instant requestedAt,
            long requestedLeaf) {}
}
