package org.vettedaccess.kyc.review;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.vettedaccess.kyc.application.ApplicationParts;
import org.vettedaccess.kyc.application.ApplicationView;

@ApplicationScoped
public class ReviewRepository implements PanacheRepository<ReviewEntity>, ApplicationParts.Reviews {

    public List<ReviewEntity> of(UUID applicationId) {
        return list("applicationId = ?1 order by id", applicationId);
    }

    @Override
    public List<ApplicationView.Review> shown(UUID applicationId, boolean withReviewers) {
        return of(applicationId).stream()
                .map(r -> new ApplicationView.Review(
                        r.round, r.decision, r.reason, r.at, withReviewers ? r.reviewer : null))
                .toList();
    }

    @Override
    public int approvals(UUID applicationId, int round) {
        return approvers(applicationId, round).size();
    }

    /**
     * The distinct reviewers whose approval counts in the round. A reviewer who declared a conflict on the
     * application, before or after approving, is not one of them: declaring a conflict voids their approval.
     */
    public List<String> approvers(UUID applicationId, int round) {
        Set<String> conflicted = Set.copyOf(getEntityManager()
                .createQuery("select c.reviewer from ConflictEntity c where c.applicationId = ?1", String.class)
                .setParameter(1, applicationId)
                .getResultList());
        return of(applicationId).stream()
                .filter(r -> r.round == round && r.decision.equals("APPROVE") && !conflicted.contains(r.reviewer))
                .map(r -> r.reviewer)
                .distinct()
                .toList();
    }
}
