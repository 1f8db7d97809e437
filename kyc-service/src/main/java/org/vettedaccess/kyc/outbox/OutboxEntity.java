package org.vettedaccess.kyc.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One KYC decision on its way to the ledger and then to access-policy. */
@Entity
@Table(name = "decision_outbox")
public class OutboxEntity {
    @Id
    public UUID id;

    @Column(name = "application_id")
    public UUID applicationId;

    public String outcome;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** The ledger entry, as JSON. */
    public String entry;

    /** What access-policy is told once the leaf exists, as JSON (a {@code KycOutcome} without its leaf). */
    @Column(name = "policy_outcome")
    public String policyOutcome;

    public String state;

    @Column(name = "ledger_index")
    public Long ledgerIndex;

    public int attempts;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "done_at")
    public Instant doneAt;
}
