package org.vettedaccess.contracts.policy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a subject may use now, for the gateway's model list and API keys ({@code POST /api/v1/decisions/entitlements}).
 *
 * @param grants the subject's current grants that allow at least one model
 */
public record Entitlements(String subject, List<Grant> grants) {

    /**
     * One current grant.
     *
     * @param models the models it allows now (kill switches and suspended models left out)
     * @param keyDefaultDays how long an API key for it lives by default (from its tier)
     * @param keyMaxDays the longest an API key for it may live (from its tier)
     */
    public record Grant(
            UUID grantId, int tier, List<String> models, Instant validUntil, int keyDefaultDays, int keyMaxDays) {}

    /** The question: whose entitlements. */
    public record Request(String subject) {}
}
