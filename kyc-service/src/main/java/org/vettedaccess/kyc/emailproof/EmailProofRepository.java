package org.vettedaccess.kyc.emailproof;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
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

    /** The application's newest code, its row locked until the transaction ends, so parallel guesses count one by one. */
    public EmailProofEntity latestLocked(UUID applicationId) {
        return find("applicationId = ?1 order by sentAt desc", applicationId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /** Codes sent within the period for any application of the researcher. */
    public long sentToResearcherSince(String subject, Instant since) {
        return count(
                "applicationId in (select a.id from ApplicationEntity a where a.subject = ?1) and sentAt >= ?2",
                subject,
                since);
    }

    /** Codes sent within the period to the address, whichever application asked. */
    public long sentToAddressSince(String email, Instant since) {
        return count("lower(email) = lower(?1) and sentAt >= ?2", email, since);
    }

    /**
     * Serialises code sending for one researcher and for one address until the transaction ends, so that parallel
     * requests cannot all pass the hourly limits before any of them is counted.
     */
    public void lockSending(String subject, String email) {
        getEntityManager()
                .createNativeQuery(
                        "select pg_advisory_xact_lock(hashtext(:subject)), pg_advisory_xact_lock(hashtext(:email))")
                .setParameter("subject", "email-proof:subject:" + subject)
                .setParameter("email", "email-proof:address:" + email.toLowerCase(java.util.Locale.ROOT))
                .getSingleResult();
    }

    /** Older codes stop working when a new one is sent. */
    public void supersede(UUID applicationId) {
        update("state = 'SUPERSEDED' where applicationId = ?1 and state = 'PENDING'", applicationId);
    }
}
