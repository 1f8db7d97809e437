package org.vettedaccess.policy.incident;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A researcher's flaw or incident report, with its text (which never leaves the lab's database). */
@Entity
@Table(name = "incidents")
public class IncidentEntity {
    @Id
    public UUID id;

    /** The reporter's subject id. */
    public String reporter;

    public String model;

    public String category;

    /** The severity the reporter gave. */
    public String severity;

    /** The severity the lab confirmed at triage; null before. */
    @Column(name = "confirmed_severity")
    public String confirmedSeverity;

    public String description;

    /** 16 random bytes, hex; the leaf's textCommitment is SHA-256(salt bytes || description UTF-8). */
    @Column(name = "text_salt")
    public String textSalt;

    @Column(name = "text_commitment")
    public String textCommitment;

    /** The attached receipts' x-request-ids, in the order of receiptLeaves. */
    @Column(name = "receipt_ids")
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] receiptIds;

    @Column(name = "receipt_leaves")
    @JdbcTypeCode(SqlTypes.ARRAY)
    public Long[] receiptLeaves;

    public String status;

    @Column(name = "reported_at")
    public Instant reportedAt;

    @Column(name = "reported_leaf")
    public long reportedLeaf;

    @Column(name = "acknowledge_by")
    public Instant acknowledgeBy;

    @Column(name = "mitigate_by")
    public Instant mitigateBy;

    @Column(name = "embargo_until")
    public Instant embargoUntil;

    /** The lab's first answer (acknowledged, rejected, or mitigated at once). */
    @Column(name = "answered_at")
    public Instant answeredAt;

    @Column(name = "mitigated_at")
    public Instant mitigatedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    IncidentStatus state() {
        return IncidentStatus.valueOf(status);
    }

    /** The confirmed severity once triaged, the reporter's before. */
    Severity currentSeverity() {
        return Severity.valueOf(confirmedSeverity != null ? confirmedSeverity : severity);
    }
}
