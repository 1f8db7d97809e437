package org.vettedaccess.policy.changerequest;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ChangeRequestRepository implements PanacheRepositoryBase<ChangeRequestEntity, UUID> {

    public List<ChangeRequestEntity> withStatus(String status) {
        return status == null
                ? list("order by requestedAt desc")
                : list("status = ?1 order by requestedAt desc", status);
    }

    public ChangeRequestEntity locked(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Serialises changes to one model or tier until the transaction ends (a PostgreSQL advisory lock), so that
     * two changes cannot both be made against the same version, also for a model not yet in the catalog.
     */
    public void lockTarget(String target) {
        getEntityManager()
                .createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(?1))) AS locked")
                .setParameter(1, target)
                .getSingleResult();
    }
}
