-- Issue 20: witness cosignatures (C2SP tlog-cosignature, cosignature/v1) on published checkpoints. One row per
-- checkpoint and witness; the line is exactly what the witness returned, so the cosigned checkpoint is the note
-- followed by its lines. No foreign key to checkpoints: a witness's record is evidence about a tree size that stays
-- true even if the checkpoints table is tampered with, and it must not stop a verifier's test from restoring rows.
CREATE TABLE checkpoint_cosignatures (
    tree_size   bigint      NOT NULL,
    witness     text        NOT NULL,
    line        text        NOT NULL,
    cosigned_at timestamptz NOT NULL,
    PRIMARY KEY (tree_size, witness)
);
CREATE INDEX checkpoint_cosignatures_by_witness ON checkpoint_cosignatures (witness, tree_size);

-- The append role reads and inserts, nothing else (invariant 3).
GRANT SELECT, INSERT ON checkpoint_cosignatures TO ${appender_role};
REVOKE UPDATE, DELETE, TRUNCATE ON checkpoint_cosignatures FROM ${appender_role};
