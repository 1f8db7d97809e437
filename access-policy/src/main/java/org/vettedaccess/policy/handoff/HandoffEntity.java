package org.vettedaccess.policy.handoff;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A KYC approval waiting for a policy admin to issue or refuse its grant, and what became of it. */
@Entity
@Table(name = "grant_handoffs")
public class HandoffEntity {
    @Id
    public UUID id;

    public String subject;

    @Column(name = "kyc_leaf")
    public long kycLeaf;

    public int tier;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] models;

    public String purpose;

    /** When the KYC approval lapses; the grant ends no later. */
    @Column(name = "kyc_until")
    public Instant kycUntil;

    /** AWAITING, ISSUED, REFUSED, or SUPERSEDED by a newer approval. */
    public String status;

    /** The admin's reason for a refusal, which the researcher reads. */
    public String reason;

    /** The salt of the refusal leaf's commitment to the reason (the leaf never holds the reason). */
    @Column(name = "reason_salt")
    public String reasonSalt;

    /** The handoff.refused leaf, once the outbox has delivered it. */
    @Column(name = "leaf_index")
    public Long leafIndex;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "grant_id")
    public UUID grantId;

    @Column(name = "created_at")
    public Instant createdAt;
}
