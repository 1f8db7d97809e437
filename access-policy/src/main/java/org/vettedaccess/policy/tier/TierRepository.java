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

    public Optional<TierEntity> current(int tier) {
        return find("tier = ?1 order by version desc", tier).firstResultOptional();
    }
}
