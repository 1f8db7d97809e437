package org.vettedaccess.policy.tripwire;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A trip.
 *
 * @param alreadyInForce the rule's action was already in force from an earlier trip (another replica's report, say),
 *     so this report engaged nothing new and this is that earlier trip
 * @param leafIndex the {@code tripwire.tripped} leaf; null while it waits in the outbox
 */
public record TripRecord(
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
        boolean alreadyInForce) {}
