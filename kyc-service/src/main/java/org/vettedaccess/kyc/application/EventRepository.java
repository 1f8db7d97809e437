package org.vettedaccess.kyc.application;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class EventRepository implements PanacheRepository<EventEntity> {

    public List<EventEntity> of(UUID applicationId) {
        return list("applicationId = ?1 order by id", applicationId);
    }

    /** Which submission an application is on: 1 for the first, 2 after one resubmission, and so on. */
    public int round(UUID applicationId) {
        return (int) count("applicationId = ?1 and state = 'SUBMITTED'", applicationId);
    }
}
