package org.vettedaccess.kyc.review;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A reviewer's declared conflict of interest: they may not decide on that application. */
@Entity
@Table(name = "conflicts")
public class ConflictEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "application_id")
    public UUID applicationId;

    public String reviewer;
    public String reason;
    public Instant at;
}
