package org.vettedaccess.gateway.portal;

import java.time.Instant;
import java.util.List;

/** What the policy admin's overview shows: kill switches, the catalog, the tiers and the changes waiting. */
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

    /** A catalog model. */
    public record Model(
            String id,
            String upstreamRoute,
            double trainingFlop,
            List<String> evalFlags,
            String riskClass,
            int requiredTier,
            String status) {

        public Model {
            evalFlags = evalFlags == null ? List.of() : evalFlags;
        }
    }

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
            Model model,
            Tier tier,
            String requestedBy,
            Instant requestedAt,
            long requestedLeaf) {}
}
