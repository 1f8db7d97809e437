package org.vettedaccess.policy.change;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ChangeRepository implements PanacheRepository<ChangeEntity> {

    public List<ChangeEntity> after(long seq, int limit) {
        return find("seq > ?1 order by seq", seq).page(0, limit).list();
    }

    public long latest() {
        Long max = getEntityManager()
                .createQuery("select max(c.seq) from ChangeEntity c", Long.class)
                .getSingleResult();
        return max == null ? 0 : max;
    }
}
