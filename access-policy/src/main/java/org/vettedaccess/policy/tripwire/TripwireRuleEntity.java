package org.vettedaccess.policy.tripwire;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A tripwire rule's current version; every version is also a {@code tripwire.changed} leaf. */
@Entity
@Table(name = "tripwire_rules")
public class TripwireRuleEntity {
    @Id
    public UUID id;

    public int version;
    public String kind;
    public String model;

    @Column(name = "window_seconds")
    public int windowSeconds;

    @Column(name = "threshold_percent")
    public int thresholdPercent;

    @Column(name = "min_calls")
    public int minCalls;

    @Column(name = "multiple_percent")
    public int multiplePercent;

    @Column(name = "baseline_floor_tokens")
    public long baselineFloorTokens;

    @Column(name = "allowed_from_hour")
    public int allowedFromHour;

    @Column(name = "allowed_to_hour")
    public int allowedToHour;

    /** CALLS_FROM_SCOPE: INSTITUTION or COUNTRY, as a kill switch's scope; null for the other kinds. */
    @Column(name = "scope_kind")
    public String scopeKind;

    /** CALLS_FROM_SCOPE: the bare ROR id or the country code. */
    @Column(name = "scope_value")
    public String scopeValue;

    public String action;
    public boolean active;

    @Column(name = "defined_by")
    public String definedBy;

    @Column(name = "defined_at")
    public Instant definedAt;

    @Column(name = "leaf_index")
    public long leafIndex;
}
