-- The log. Rows are only ever inserted: the role the service appends with (below) has no UPDATE or DELETE,
-- and a verifier holding an earlier checkpoint detects any change made by someone who has.

-- Sequenced entries. idx is contiguous from 0; entry holds the leaf bytes (RFC 8785 JSON) as signed.
CREATE TABLE leaves (
    idx             bigint      PRIMARY KEY CHECK (idx >= 0),
    idempotency_key text        NOT NULL UNIQUE,
    request_hash    bytea       NOT NULL,
    entry_type      text        NOT NULL,
    subject         text,
    model           text,
    logged_at       timestamptz NOT NULL,
    entry           bytea       NOT NULL,
    leaf_hash       bytea       NOT NULL,
    appended_by     text        NOT NULL
);
CREATE INDEX leaves_by_type ON leaves (entry_type, idx);
CREATE INDEX leaves_by_subject ON leaves (subject, idx);
CREATE INDEX leaves_by_model ON leaves (model, idx);
CREATE INDEX leaves_by_time ON leaves (logged_at, idx);
CREATE INDEX leaves_by_hash ON leaves (leaf_hash);

-- Hashes of perfect subtrees (RFC 9162): level 0 are the leaf hashes; a node at (level, idx) covers leaves
-- [idx * 2^level, (idx + 1) * 2^level). Every tree head and proof reads O(log n) of these.
CREATE TABLE tree_nodes (
    level smallint NOT NULL,
    idx   bigint   NOT NULL,
    hash  bytea    NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Signed checkpoints (C2SP signed notes), one per published tree size.
CREATE TABLE checkpoints (
    tree_size bigint      PRIMARY KEY,
    root_hash bytea       NOT NULL,
    note      text        NOT NULL,
    key_id    text        NOT NULL,
    signed_at timestamptz NOT NULL
);

-- Who a disclosed pseudonym is. Only the name for a pseudonym that a recorded disclosure leaf names.
CREATE TABLE disclosures (
    pseudonym     text        PRIMARY KEY,
    display_name  text        NOT NULL,
    leaf_index    bigint      NOT NULL REFERENCES leaves (idx),
    disclosed_at  timestamptz NOT NULL
);

-- The append role: read and insert, nothing else. The service connects as it; Flyway migrates as the owner.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${appender_role}') THEN
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', '${appender_role}', '${appender_password}');
    END IF;
END
$$;
GRANT USAGE ON SCHEMA ledger TO ${appender_role};
GRANT SELECT, INSERT ON leaves, tree_nodes, checkpoints, disclosures TO ${appender_role};
REVOKE UPDATE, DELETE, TRUNCATE ON leaves, tree_nodes, checkpoints, disclosures FROM ${appender_role};
