package org.vettedaccess.policy.tripwire;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

/** One trip: the rule version that tripped, the window's figures, and the action it engaged. */
@Entity
@DynamicUpdate
@Table(name = "tripwire_trips")
public class TripEntity {
    @Id
    public UUID id;

    @Column(name = "rule_id")
    public UUID ruleId;

    @Column(name = "rule_version")
    public int ruleVersion;

    @Column(name = "rule_leaf")
    public long ruleLeaf;

    public String kind;
    public String model;
    public String subject;

    @Column(name = "grant_id")
    public UUID grantId;

    @Column(name = "kill_switch_id")
    public UUID killSwitchId;

    /** A CALLS_FROM_SCOPE control failure: the engaged switch a counted call got past; null otherwise. */
    @Column(name = "failed_switch_id")
    public UUID failedSwitchId;

    /** The window's figures as JSON (the same names as the leaf's {@code figures}). */
    public String figures;

    @Column(name = "reported_by")
    public String reportedBy;

    @Column(name = "tripped_at")
    public Instant trippedAt;

    @Column(name = "leaf_index")
    public Long leafIndex;
}
