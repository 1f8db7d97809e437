package org.vettedaccess.policy.change;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One entry of the change feed. */
@Entity
@Table(name = "changes")
public class ChangeEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    public String kind;

    @jakarta.persistence.Column(name = "grant_id")
    public UUID grantId;

    public String subject;
    public String scope;
    public Instant at;
}
