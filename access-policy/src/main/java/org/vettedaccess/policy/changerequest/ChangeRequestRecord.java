package org.vettedaccess.policy.changerequest;

import java.time.Instant;
import java.util.UUID;

/**
 * A permissive catalog or tier change and where it stands.
 *
 * @param kind MODEL or TIER
 * @param target the model id or the tier number
 * @param baseVersion the version it was asked against (0: a model not yet in the catalog); it applies only while
 *     that version is current
 * @param status PENDING (waiting for a second, different policy admin), APPLIED, WITHDRAWN or REFUSED
 * @param model for a MODEL change, the model as it would be (the catalog's ModelRecord)
 * @param tier for a TIER change, the tier as it would be (the tiers' TierRecord)
 * @param requestedLeaf the model.change-requested or tier.change-requested leaf
 * @param appliedLeaf the model.registered, model.changed or tier.changed leaf written when it was confirmed
 */
public record ChangeRequestRecord(
        UUID id,
        String kind,
        String target,
        int baseVersion,
        String status,
        Object model,
        Object tier,
        String requestedBy,
        Instant requestedAt,
        long requestedLeaf,
        String decidedBy,
        Instant decidedAt,
        Long appliedLeaf) {}
