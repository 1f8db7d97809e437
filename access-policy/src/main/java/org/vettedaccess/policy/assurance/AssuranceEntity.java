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

    @Column(name = "kyc_leaf")
    public long kycLeaf;

    public String status;
    public String institution;
    public String country;

    @Column(name = "valid_until")
    public Instant validUntil;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
