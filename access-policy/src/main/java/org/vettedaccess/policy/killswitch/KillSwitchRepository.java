package org.vettedaccess.policy.killswitch;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class KillSwitchRepository implements PanacheRepositoryBase<KillSwitchEntity, UUID> {

    public List<KillSwitchEntity> engaged() {
        return list("releasedAt is null order by engagedAt");
    }

    /** The engaged leaf as stored now (the outbox's relay sets it after the switch was read). */
    public Long engagedLeaf(UUID id) {
        return getEntityManager()
                .createQuery("select s.engagedLeaf from KillSwitchEntity s where s.id = ?1", Long.class)
                .setParameter(1, id)
                .getSingleResult();
    }
}
