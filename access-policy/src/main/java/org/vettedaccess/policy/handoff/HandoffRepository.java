package org.vettedaccess.policy.handoff;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class HandoffRepository implements PanacheRepositoryBase<HandoffEntity, UUID> {

    /** The queue, oldest first. */
    public List<HandoffEntity> awaiting(int limit) {
        return find("status = 'AWAITING' order by createdAt").page(0, limit).list();
    }

    public List<HandoffEntity> ofSubject(String subject) {
        return list("subject = ?1 order by createdAt desc", subject);
    }

    public HandoffEntity ofApproval(String subject, long kycLeaf) {
        return find("subject = ?1 and kycLeaf = ?2", subject, kycLeaf).firstResult();
    }

    /** The hand-off, locked so that two admins deciding it at once are serialised. */
    public HandoffEntity locked(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }
}
