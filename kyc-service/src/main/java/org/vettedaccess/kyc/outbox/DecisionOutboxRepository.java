package org.vettedaccess.kyc.outbox;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The reports to access-policy (the second stage of a decision; its leaf goes through the ledger outbox). */
@ApplicationScoped
public class DecisionOutboxRepository implements PanacheRepositoryBase<OutboxEntity, UUID> {

    /** Reports that can go to access-policy now, oldest first; of one application, or of all if null. */
    public List<UUID> readyForPolicy(UUID applicationId, int limit) {
        return (applicationId == null
                        ? find("state = 'PENDING_POLICY' order by createdAt")
                        : find("applicationId = ?1 and state = 'PENDING_POLICY' order by createdAt", applicationId))
                .page(0, limit).list().stream().map(o -> o.id).toList();
    }

    /** An application's decisions whose leaf is still in the ledger outbox. */
    public long withoutLeaf(UUID applicationId) {
        return count("applicationId = ?1 and ledgerIndex is null", applicationId);
    }

    /** A restrictive outcome makes the researcher's earlier undelivered reports moot. */
    public void supersedeBefore(String subject, Instant before) {
        update(
                "state = 'SUPERSEDED', doneAt = ?3 where state in ('PENDING_LEDGER', 'PENDING_POLICY') and createdAt <= ?2"
                        + " and applicationId in (select a.id from ApplicationEntity a where a.subject = ?1)",
                subject,
                before,
                before);
    }

    /** Whether the decision's application has a decision made after it. */
    public boolean hasLaterDecision(OutboxEntity decision) {
        return count("applicationId = ?1 and createdAt > ?2", decision.applicationId, decision.createdAt) > 0;
    }

    public long backlog() {
        return count("state in ('PENDING_LEDGER', 'PENDING_POLICY')");
    }
}
