package org.vettedaccess.policy.change;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the change feed. Its {@code seq} is drawn by the database when the row is inserted, under the feed's
 * lock (V8), so it is never written from here; the row is inserted when its transaction flushes, at commit.
 */
@Entity
@Table(name = "changes")
public class ChangeEntity {
    @Id
    public UUID id;

    @Column(insertable = false, updatable = false)
    public Long seq;

    public String kind;

    @Column(name = "grant_id")
    public UUID grantId;

    public String subject;
    public String scope;
    public Instant at;
}
