package org.vettedaccess.policy.tripwire;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

/** Tripwire rules (current versions). */
@ApplicationScoped
public class TripwireRepository implements PanacheRepositoryBase<TripwireRuleEntity, UUID> {

    /** The rule, locked until the transaction ends, so two replicas reporting one trip at once engage it once. */
    TripwireRuleEntity locked(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    List<TripwireRuleEntity> all() {
        return list("order by definedAt");
    }
}
