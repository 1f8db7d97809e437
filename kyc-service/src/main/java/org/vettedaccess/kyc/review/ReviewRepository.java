package org.vettedaccess.kyc.review;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ReviewRepository implements PanacheRepository<ReviewEntity> {

    public List<ReviewEntity> of(UUID applicationId) {
        return list("applicationId = ?1 order by id", applicationId);
    }

    public List<String> approvers(UUID applicationId, int round) {
        return of(applicationId).stream()
                .filter(r -> r.round == round && r.decision.equals("APPROVE"))
                .map(r -> r.reviewer)
                .distinct()
                .toList();
    }
}
