package org.vettedaccess.kyc.screening;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A reviewer's FALSE_POSITIVE or TRUE_MATCH on one candidate, with the evidence for it. */
@Entity
@Table(name = "candidate_dispositions")
public class DispositionEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "candidate_id")
    public UUID candidateId;

    public String reviewer;
    public String disposition;
    public String evidence;
    public Instant at;
}
