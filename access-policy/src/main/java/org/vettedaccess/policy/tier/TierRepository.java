package org.vettedaccess.policy.tier;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class TierRepository implements PanacheRepository<TierEntity> {

    /** The newest version of each tier. */
    public List<TierEntity> current() {
        return list(
                "from TierEntity e where e.version = (select max(t.version) from TierEntity t where t.tier = e.tier)"
                        + " order by e.tier");
    }

    /** Tier versions without a leaf yet, locked; rows another replica is recording are skipped. */
    public List<TierEntity> unrecorded(int limit) {
        return find("leafKey is null order by tier, version")
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2)
                .page(0, limit)
                .list();
    }

    public Optional<TierEntity> current(int tier) {
        return find("tier = ?1 order by version desc", tier).firstResultOptional();
    }
}
