package org.vettedaccess.policy.incident;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

/** Reports and their status changes. */
@ApplicationScoped
public class IncidentRepository implements PanacheRepositoryBase<IncidentEntity, UUID> {

    public List<IncidentEntity> ofReporter(String reporter) {
        return list("reporter = ?1 order by reportedAt desc", reporter);
    }

    public List<IncidentEntity> newestFirst() {
        return list("order by reportedAt desc");
    }

    /** The report, locked until the transaction ends, so two triagers' answers are taken one after the other. */
    public IncidentEntity locked(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public List<IncidentEventEntity> events(UUID incident) {
        return getEntityManager()
                .createQuery(
                        "from IncidentEventEntity e where e.incidentId = ?1 order by e.id", IncidentEventEntity.class)
                .setParameter(1, incident)
                .getResultList();
    }

    public void persistEvent(IncidentEventEntity event) {
        getEntityManager().persist(event);
    }

    /** Stores a delivered (outbox) status leaf's index. */
    public void eventLeaf(UUID incident, String status, long leafIndex) {
        getEntityManager()
                .createQuery("update IncidentEventEntity e set e.leafIndex = ?1"
                        + " where e.incidentId = ?2 and e.status = ?3 and e.leafIndex is null")
                .setParameter(1, leafIndex)
                .setParameter(2, incident)
                .setParameter(3, status)
                .executeUpdate();
    }
}
