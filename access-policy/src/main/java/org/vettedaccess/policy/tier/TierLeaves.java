package org.vettedaccess.policy.tier;

import jakarta.enterprise.context.ApplicationScoped;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.OutboxRow;

/**
 * Stores a tier version's leaf index once the outbox has delivered its leaf (a restrictive change, or a version
 * seeded before the tiers were logged); the version is found by the idempotency key it was recorded under.
 */
@ApplicationScoped
public class TierLeaves implements LeafCallback {

    private final TierRepository tiers;

    public TierLeaves(TierRepository tiers) {
        this.tiers = tiers;
    }

    @Override
    public boolean handles(String type) {
        return type.equals("tier.changed");
    }

    @Override
    public void delivered(OutboxRow row, long leafIndex) {
        tiers.update("leafIndex = ?1 where leafKey = ?2 and leafIndex is null", leafIndex, row.idempotencyKey());
    }
}
