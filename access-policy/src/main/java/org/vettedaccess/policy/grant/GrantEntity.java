package org.vettedaccess.policy.grant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A grant: a subject's purpose- and time-bound access to models at a tier. Updates write only the changed columns,
 * so a change made here never overwrites the leaf index the outbox's relay stored meanwhile.
 */
@Entity
@DynamicUpdate
@Table(name = "grants")
public class GrantEntity {
    @Id
    public UUID id;

    public String subject;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] models;

    public String purpose;

    /** 16 random bytes, hex; the purpose commitment is SHA-256(salt bytes || purpose). Null on older grants. */
    @jakarta.persistence.Column(name = "purpose_salt")
    public String purposeSalt;

    public int tier;

    @Column(name = "valid_from")
    public Instant validFrom;

    @Column(name = "valid_until")
    public Instant validUntil;

    public String status;

    @Column(name = "kyc_leaf")
    public long kycLeaf;

    @Column(name = "leaf_index")
    public Long leafIndex;

    public int version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
