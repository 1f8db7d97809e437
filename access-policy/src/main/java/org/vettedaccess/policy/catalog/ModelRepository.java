package org.vettedaccess.policy.catalog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;

@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<ModelEntity, String> {

    /** Models whose current version has no leaf yet, locked; rows another replica is recording are skipped. */
    public List<ModelEntity> unrecorded(int limit) {
        return find("leafKey is null order by id")
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2)
                .page(0, limit)
                .list();
    }
}
