package org.vettedaccess.contracts.policy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A trip, as access-policy answers a {@link TripReport} and lists them.
 *
 * @param killSwitchId the MODEL kill switch it engaged, if its action is one
 * @param grantId the grant it suspended, if its action is that
 * @param leafIndex the {@code tripwire.tripped} leaf; null while it waits in the outbox
 * @param alreadyInForce the rule's action was already in force from an earlier trip (another replica's report, say),
 *     so this report engaged nothing new and this is that earlier trip
 * @param failedSwitchId a CALLS_FROM_SCOPE control failure: the engaged kill switch a counted call got past (its
 *     kill switch is then the model-wide one it engaged); null otherwise
 */
public record Trip(
        UUID id,
        UUID ruleId,
        int ruleVersion,
        long ruleLeaf,
        String kind,
        String model,
        String subject,
        UUID grantId,
        UUID killSwitchId,
        Map<String, Long> figures,
        Instant trippedAt,
        Long leafIndex,
        boolean alreadyInForce,
        UUID failedSwitchId) {}
