package org.vettedaccess.kyc.application;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ApplicationRepository implements PanacheRepositoryBase<ApplicationEntity, UUID> {

    public List<ApplicationEntity> ofSubject(String subject) {
        return list("subject = ?1 order by createdAt desc", subject);
    }

    /** The subjects' applications that carry a legal name (erased ones do not), oldest first. */
    public List<ApplicationEntity> namedOldestFirst(List<String> subjects) {
        return list("subject in ?1 and legalName is not null order by createdAt", subjects);
    }

    /** APPROVED applications whose legal name contains the text (any case, taken literally), newest first. */
    public List<ApplicationEntity> approvedNamed(String text, int limit) {
        // locate, not like: the text needs no escaping of % and _.
        return find(
                        "state = 'APPROVED' and locate(?1, lower(legalName)) > 0 order by updatedAt desc",
                        text.toLowerCase(java.util.Locale.ROOT))
                .page(0, limit)
                .list();
    }

    public List<ApplicationEntity> inReview() {
        return list("state = 'IN_REVIEW' order by submittedAt");
    }

    public List<UUID> approvedIds() {
        return find("state = 'APPROVED'").project(IdOnly.class).list().stream()
                .map(IdOnly::id)
                .toList();
    }

    /** Every APPROVED and IN_REVIEW application, which a re-screen covers. */
    public List<UUID> rescreenIds() {
        return find("state in ('APPROVED', 'IN_REVIEW') order by submittedAt").project(IdOnly.class).list().stream()
                .map(IdOnly::id)
                .toList();
    }

    /** A projection: just the id. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record IdOnly(UUID id) {}

    /** The subject's latest APPROVED application, if any. */
    public ApplicationEntity latestApproved(String subject) {
        return find("subject = ?1 and state = 'APPROVED' order by updatedAt desc", subject)
                .firstResult();
    }
}
