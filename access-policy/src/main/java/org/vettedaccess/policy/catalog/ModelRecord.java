package org.vettedaccess.policy.catalog;

import java.util.List;

/**
 * A model as the catalog shows it.
 *
 * @param id the model id researchers call
 * @param upstreamRoute the name of the gateway route that serves it
 * @param trainingFlop its training compute
 * @param evalFlags flags from evaluations, e.g. {@code cyber-uplift}
 * @param riskClass SYSTEMIC (≥ the systemic threshold or flagged), ELEVATED (≥ the tier-2 threshold) or STANDARD
 * @param requiredTier the tier a grant must have to use it
 * @param status ACTIVE or SUSPENDED
 * @param version increases with every change
 */
public record ModelRecord(
        String id,
        String upstreamRoute,
        double trainingFlop,
        List<String> evalFlags,
        String riskClass,
        int requiredTier,
        String status,
        int version) {}
