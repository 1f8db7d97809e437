package org.vettedaccess.kyc.application;

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
 * One researcher's application, with the state it is in. Updates write only the changed columns, so a change made
 * here never overwrites the KYC leaf the ledger outbox's relay stored meanwhile.
 */
@Entity
@DynamicUpdate
@Table(name = "applications")
public class ApplicationEntity {
    @Id
    public UUID id;

    public String subject;
    public String state;

    @Column(name = "legal_name")
    public String legalName;

    public String email;

    @Column(name = "institutional_email")
    public String institutionalEmail;

    public String orcid;

    /** The iD is the one the researcher's ORCID sign-in proved (OrcidProof); false for a typed one. */
    @Column(name = "orcid_verified")
    public boolean orcidVerified;

    public String affiliation;

    @Column(name = "ror_id")
    public String rorId;

    public String country;

    /** Secondary identifiers for the screening (optional); personal data, erased with the rest. */
    @Column(name = "date_of_birth")
    public java.time.LocalDate dateOfBirth;

    public String nationality;
    public String position;
    public String purpose;

    @Column(name = "requested_tier")
    public Integer requestedTier;

    @Column(name = "requested_models")
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] requestedModels;

    @Column(name = "funding_sources")
    public String fundingSources;

    @Column(name = "conflicts_of_interest")
    public String conflictsOfInterest;

    @Column(name = "terms_version")
    public String termsVersion;

    @Column(name = "claimed_by")
    public String claimedBy;

    @Column(name = "assurance_level")
    public Integer assuranceLevel;

    @Column(name = "kyc_leaf")
    public Long kycLeaf;

    @Column(name = "valid_until")
    public Instant validUntil;

    public int version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "submitted_at")
    public Instant submittedAt;

    @Column(name = "erased_at")
    public Instant erasedAt;
}
