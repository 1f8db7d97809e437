package org.vettedaccess.kyc.screening;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class DispositionRepository implements PanacheRepository<DispositionEntity> {

    public List<DispositionEntity> of(Collection<UUID> candidateIds) {
        return candidateIds.isEmpty() ? List.of() : list("candidateId in ?1 order by id", candidateIds);
    }

    public boolean given(UUID candidateId, String reviewer) {
        return count("candidateId = ?1 and reviewer = ?2", candidateId, reviewer) > 0;
    }
}
