package org.vettedaccess.policy.killswitch;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A kill switch, engaged at once by one admin, released only when a second admin confirms. Updates write only the
 * changed columns, so a release never overwrites the engaged leaf the outbox's relay stored meanwhile.
 */
@Entity
@DynamicUpdate
@Table(name = "kill_switches")
public class KillSwitchEntity {
    @Id
    public UUID id;

    @Column(name = "scope_kind")
    public String scopeKind;

    @Column(name = "scope_value")
    public String scopeValue;

    /** INSTITUTION or COUNTRY only: the one model the switch stops from the scope; null for every model. */
    @Column(name = "scope_model")
    public String scopeModel;

    public String reason;

    @Column(name = "engaged_by")
    public String engagedBy;

    @Column(name = "engaged_at")
    public Instant engagedAt;

    @Column(name = "engaged_leaf")
    public Long engagedLeaf;

    @Column(name = "release_requested_by")
    public String releaseRequestedBy;

    @Column(name = "release_requested_leaf")
    public Long releaseRequestedLeaf;

    @Column(name = "released_by")
    public String releasedBy;

    @Column(name = "released_at")
    public Instant releasedAt;

    @Column(name = "released_leaf")
    public Long releasedLeaf;
}
