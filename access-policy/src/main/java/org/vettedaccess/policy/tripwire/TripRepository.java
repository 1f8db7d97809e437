package org.vettedaccess.policy.tripwire;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Trips, newest first. */
@ApplicationScoped
public class TripRepository implements PanacheRepositoryBase<TripEntity, UUID> {

    List<TripEntity> recent(int limit) {
        return find("order by trippedAt desc").page(0, limit).list();
    }

    /** The rule's trip whose kill switch is still engaged, if any: the action is in force, nothing to engage. */
    Optional<TripEntity> inForceKillSwitch(UUID ruleId) {
        return inForceKillSwitch(ruleId, false);
    }

    /**
     * As above, of the rule's own check ({@code controlFailure} false) or of its control-failure check (true): a
     * CALLS_FROM_SCOPE rule engages a scoped switch for the one and a model-wide switch for the other.
     */
    Optional<TripEntity> inForceKillSwitch(UUID ruleId, boolean controlFailure) {
        return find(
                        "ruleId = ?1 and failedSwitchId is " + (controlFailure ? "not null" : "null")
                                + " and killSwitchId in (select s.id from KillSwitchEntity s where s.releasedAt is null)"
                                + " order by trippedAt desc",
                        ruleId)
                .firstResultOptional();
    }

    /** When the rule last tripped, or null. */
    java.time.Instant lastTripped(UUID ruleId) {
        return getEntityManager()
                .createQuery("select max(t.trippedAt) from TripEntity t where t.ruleId = ?1", java.time.Instant.class)
                .setParameter(1, ruleId)
                .getSingleResult();
    }

    /** The rule's latest trip on a grant. */
    Optional<TripEntity> latestOnGrant(UUID ruleId, UUID grantId) {
        return find("ruleId = ?1 and grantId = ?2 order by trippedAt desc", ruleId, grantId)
                .firstResultOptional();
    }
}
