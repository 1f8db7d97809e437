package org.vettedaccess.kyc.check;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class CheckRepository implements PanacheRepository<CheckEntity> {

    public List<CheckEntity> of(UUID applicationId) {
        return list("applicationId = ?1 order by id", applicationId);
    }
}
