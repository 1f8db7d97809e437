package org.vettedaccess.policy.grant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class GrantRepository implements PanacheRepositoryBase<GrantEntity, UUID> {

    /** ACTIVE grants past their end, locked; rows another replica is expiring are skipped. */
    public List<GrantEntity> dueForExpiry(java.time.Instant now, int limit) {
        return find("status = 'ACTIVE' and validUntil <= ?1 order by validUntil", now)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2)
                .page(0, limit)
                .list();
    }

    public List<GrantEntity> ofSubject(String subject) {
        return list("subject = ?1 order by createdAt desc", subject);
    }
}
