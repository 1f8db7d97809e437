package org.vettedaccess.policy.killswitch;

import java.time.Instant;
import java.util.UUID;

/**
 * A kill switch and where it stands.
 *
 * @param state ENGAGED, RELEASE_REQUESTED (waiting for a second admin) or RELEASED
 * @param model INSTITUTION or COUNTRY: the one model it stops from the scope; null for every model
 * @param releaseRequestedLeaf the killswitch.release-requested leaf of the first admin's call
 */
public record KillSwitchRecord(
        UUID id,
        String scope,
        String value,
        String model,
        String reason,
        String state,
        String engagedBy,
        Instant engagedAt,
        Long engagedLeaf,
        String releaseRequestedBy,
        Long releaseRequestedLeaf,
        String releasedBy,
        Instant releasedAt,
        Long releasedLeaf) {

    static KillSwitchRecord of(KillSwitchEntity s) {
        String state =
                s.releasedAt != null ? "RELEASED" : s.releaseRequestedBy != null ? "RELEASE_REQUESTED" : "ENGAGED";
        return new KillSwitchRecord(
                s.id,
                s.scopeKind,
                s.scopeValue,
                s.scopeModel,
                s.reason,
                state,
                s.engagedBy,
                s.engagedAt,
                s.engagedLeaf,
                s.releaseRequestedBy,
                s.releaseRequestedLeaf,
                s.releasedBy,
                s.releasedAt,
                s.releasedLeaf);
    }
}
