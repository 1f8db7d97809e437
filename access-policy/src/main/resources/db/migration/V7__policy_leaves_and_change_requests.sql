-- The catalog and every tier version are ledger leaves (model.registered / model.changed, tier.changed), so the
-- policy in force at any index can be rebuilt from the log alone. leaf_key is the idempotency key of the row's
-- leaf, set when the leaf is written or enqueued; leaf_index is its index once known (a leaf delivered later by
-- the outbox may leave it empty). Rows without a leaf_key (the seeded tiers, models made before this) get one at
-- start.
ALTER TABLE models ADD COLUMN leaf_key text;
ALTER TABLE models ADD COLUMN leaf_index bigint;
ALTER TABLE tiers ADD COLUMN leaf_key text;
ALTER TABLE tiers ADD COLUMN leaf_index bigint;

-- What the lab published about the model (model card, evaluation summary): [{kind, url, sha256}], in its leaf too.
ALTER TABLE models ADD COLUMN disclosures jsonb NOT NULL DEFAULT '[]';

-- A permissive catalog or tier change waits here until a second, different policy admin confirms it. proposed is
-- the whole state it would set (validated when requested); base_version the version it was made against (0 for a
-- model not yet in the catalog); it applies only while that version is still the current one.
CREATE TABLE change_requests (
    id             uuid        PRIMARY KEY,
    kind           text        NOT NULL CHECK (kind IN ('MODEL', 'TIER')),
    target         text        NOT NULL,
    base_version   int         NOT NULL,
    proposed       jsonb       NOT NULL,
    status         text        NOT NULL CHECK (status IN ('PENDING', 'APPLIED', 'WITHDRAWN', 'REFUSED')),
    requested_by   text        NOT NULL,
    requested_at   timestamptz NOT NULL,
    requested_leaf bigint      NOT NULL,
    decided_by     text,
    decided_at     timestamptz,
    applied_leaf   bigint,
    CHECK (status = 'PENDING' OR decided_by IS NOT NULL),
    -- four eyes, also in the schema: whoever applies a change is not who asked for it
    CHECK (status <> 'APPLIED' OR decided_by <> requested_by)
);
CREATE INDEX change_requests_pending ON change_requests (kind, target) WHERE status = 'PENDING';

-- A kill switch's release request is a leaf too (killswitch.release-requested), before the second admin confirms.
ALTER TABLE kill_switches ADD COLUMN release_requested_leaf bigint;
