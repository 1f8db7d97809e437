package org.vettedaccess.policy.assurance;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** What kyc-service last reported about a subject. */
@Entity
@Table(name = "assurances")
public class AssuranceEntity {
    @Id
    public String subject;

    @Column(name = "assurance_level")
    public int assuranceLevel;

    @Column(name = "approved_tier")
    public int approvedTier;

    /** The KYC decision's leaf; null while a restrictive outcome's leaf is still in kyc-service's outbox. */
    @Column(name = "kyc_leaf")
    public Long kycLeaf;

    public String status;
    public String institution;
    public String country;

    @Column(name = "valid_until")
    public Instant validUntil;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
