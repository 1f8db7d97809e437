package org.vettedaccess.policy.changerequest;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** A permissive catalog or tier change waiting for a second policy admin, and what became of it. */
@Entity
@Table(name = "change_requests")
public class ChangeRequestEntity {
    @Id
    public UUID id;

    /** MODEL or TIER. */
    public String kind;

    /** The model id, or the tier number. */
    public String target;

    @Column(name = "base_version")
    public int baseVersion;

    /** The whole state it would set, as JSON (a ModelRecord or a TierRecord). */
    @ColumnTransformer(write = "?::jsonb")
    public String proposed;

    /** PENDING, APPLIED, WITHDRAWN (by its requester) or REFUSED (by another admin). */
    public String status;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Column(name = "requested_leaf")
    public long requestedLeaf;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "applied_leaf")
    public Long appliedLeaf;
}
