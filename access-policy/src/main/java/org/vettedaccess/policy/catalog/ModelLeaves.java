package org.vettedaccess.policy.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.OutboxRow;

/**
 * Stores a model version's leaf index once the outbox has delivered its leaf (a restrictive change, or a version
 * seeded before the catalog was logged); the row is found by the idempotency key it was recorded under.
 */
@ApplicationScoped
public class ModelLeaves implements LeafCallback {

    private final ModelRepository models;

    public ModelLeaves(ModelRepository models) {
        this.models = models;
    }

    @Override
    public boolean handles(String type) {
        return type.equals("model.registered") || type.equals("model.changed");
    }

    @Override
    public void delivered(OutboxRow row, long leafIndex) {
        models.update("leafIndex = ?1 where leafKey = ?2 and leafIndex is null", leafIndex, row.idempotencyKey());
    }
}
