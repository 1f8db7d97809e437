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

    /**
     * Which review round an application is on: each submission and each suspension (a re-screen hit) starts a new
     * one, so approvals from an earlier round never count towards four-eyes in a later one.
     */
    public int round(UUID applicationId) {
        return (int) count("applicationId = ?1 and state in ('SUBMITTED', 'SUSPENDED')", applicationId);
    }
}
