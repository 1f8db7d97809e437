package org.vettedaccess.kyc.check;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One automated check's run: what it looked at, what it found, when. */
@Entity
@Table(name = "checks")
public class CheckEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "application_id")
    public UUID applicationId;

    public String name;
    public String input;
    public String result;
    public String detail;

    @Column(name = "ran_at")
    public Instant ranAt;
}
