package org.vettedaccess.kyc.screening;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class CandidateRepository implements PanacheRepositoryBase<CandidateEntity, UUID> {

    /** Every candidate of an application, newest round first, best score first within a round. */
    public List<CandidateEntity> of(UUID applicationId) {
        return list("applicationId = ?1 order by reviewRound desc, score desc, listName, entryId", applicationId);
    }

    public List<CandidateEntity> of(UUID applicationId, int round) {
        return list(
                "applicationId = ?1 and reviewRound = ?2 order by score desc, listName, entryId", applicationId, round);
    }
}
