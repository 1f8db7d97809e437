package org.vettedaccess.policy.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.vettedaccess.contracts.policy.ModelRecord.Disclosure;

/** A model of the catalog. */
@Entity
@Table(name = "models")
public class ModelEntity {
    @Id
    public String id;

    @Column(name = "upstream_route")
    public String upstreamRoute;

    @Column(name = "training_flop")
    public double trainingFlop;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "eval_flags")
    public String[] evalFlags;

    @Column(name = "required_tier")
    public int requiredTier;

    public String status;
    public int version;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;

    /** The published disclosures as JSON, [{kind, url, sha256}]; see {@link Disclosure}. */
    @ColumnTransformer(write = "?::jsonb")
    public String disclosures = "[]";

    /** The idempotency key of this version's leaf, set when the leaf is written or enqueued. */
    @Column(name = "leaf_key")
    public String leafKey;

    @Column(name = "leaf_index")
    public Long leafIndex;

    /** CHAT or REASONING: which output-cap field the model reads (issue 22). */
    @Column(name = "parameter_family")
    public String parameterFamily = "CHAT";

    /** NATIVE (its server serves /v1/responses) or TRANSLATED (only chat completions; the gateway translates). */
    @Column(name = "responses_api")
    public String responsesApi = "TRANSLATED";
}
