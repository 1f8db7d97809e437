package org.vettedaccess.policy.killswitch;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class KillSwitchRepository implements PanacheRepositoryBase<KillSwitchEntity, UUID> {

    public List<KillSwitchEntity> engaged() {
        return list("releasedAt is null order by engagedAt");
    }
}
