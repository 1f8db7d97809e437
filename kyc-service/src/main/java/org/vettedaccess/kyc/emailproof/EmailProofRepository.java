package org.vettedaccess.kyc.emailproof;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

@ApplicationScoped
public class EmailProofRepository implements PanacheRepositoryBase<EmailProofEntity, UUID> {

    /** The application's newest code, whatever its state. */
    public EmailProofEntity latest(UUID applicationId) {
        return find("applicationId = ?1 order by sentAt desc", applicationId).firstResult();
    }

    public long sentSince(UUID applicationId, Instant since) {
        return count("applicationId = ?1 and sentAt >= ?2", applicationId, since);
    }

    /** Older codes stop working when a new one is sent. */
    public void supersede(UUID applicationId) {
        update("state = 'SUPERSEDED' where applicationId = ?1 and state = 'PENDING'", applicationId);
    }
}
