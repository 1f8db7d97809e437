package org.vettedaccess.kyc.emailproof;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One code mailed to an institutional address: only its salted hash is kept. */
@Entity
@Table(name = "email_proofs")
public class EmailProofEntity {
    @Id
    public UUID id;

    @Column(name = "application_id")
    public UUID applicationId;

    public String email;

    @Column(name = "code_salt")
    public byte[] codeSalt;

    @Column(name = "code_hash")
    public byte[] codeHash;

    public String state;
    public int attempts;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "verified_at")
    public Instant verifiedAt;
}
