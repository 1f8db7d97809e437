package org.vettedaccess.kyc.outbox;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntity, UUID> {

    /** Undelivered decisions, oldest first. */
    public List<UUID> pending(int limit) {
        return find("state <> 'DONE' order by createdAt").page(0, limit).list().stream()
                .map(o -> o.id)
                .toList();
    }

    public List<UUID> pendingOf(UUID applicationId) {
        return list("applicationId = ?1 and state <> 'DONE' order by createdAt", applicationId).stream()
                .map(o -> o.id)
                .toList();
    }

    public long backlog() {
        return count("state <> 'DONE'");
    }
}
