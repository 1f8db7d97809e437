package org.vettedaccess.kyc.review;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.vettedaccess.kyc.screening.ReviewerConflicts;

@ApplicationScoped
public class ConflictRepository implements PanacheRepository<ConflictEntity>, ReviewerConflicts {

    @Override
    public boolean declared(UUID applicationId, String reviewer) {
        return count("applicationId = ?1 and reviewer = ?2", applicationId, reviewer) > 0;
    }
}
