package org.vettedaccess.policy.tier;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One version of a tier: its requirements and limits. Changes insert a new version. */
@Entity
@Table(name = "tiers")
public class TierEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public int tier;
    public int version;

    @Column(name = "min_assurance")
    public int minAssurance;

    public int reviewers;

    @Column(name = "purpose_required")
    public boolean purposeRequired;

    @Column(name = "rescreen_days")
    public Integer rescreenDays;

    public int rpm;

    @Column(name = "input_tpm")
    public int inputTpm;

    @Column(name = "output_tpm")
    public int outputTpm;

    @Column(name = "token_budget")
    public Long tokenBudget;

    @Column(name = "max_tokens")
    public int maxTokens;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] endpoints;

    @Column(name = "max_grant_days")
    public int maxGrantDays;

    @Column(name = "key_default_days")
    public int keyDefaultDays;

    @Column(name = "key_max_days")
    public int keyMaxDays;

    @Column(name = "auto_grant")
    public boolean autoGrant;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    /** The idempotency key of this version's leaf, set when the leaf is written or enqueued. */
    @Column(name = "leaf_key")
    public String leafKey;

    @Column(name = "leaf_index")
    public Long leafIndex;
}
