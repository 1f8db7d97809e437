package org.vettedaccess.policy.grant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class GrantRepository implements PanacheRepositoryBase<GrantEntity, UUID> {

    public List<GrantEntity> ofSubject(String subject) {
        return list("subject = ?1 order by createdAt desc", subject);
    }
}
