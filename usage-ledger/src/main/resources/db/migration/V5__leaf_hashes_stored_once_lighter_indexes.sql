-- Issue 25: less work per append (ADR 0099). Every append inserted a leaves row into seven B-trees and a level-0
-- tree_nodes row holding the same hash as the leaf's leaf_hash.

-- 1. A level-0 node is its leaf's hash, which leaves.leaf_hash holds: the ledger reads level 0 from there and stores
--    only the nodes above it. A log whose two copies disagree (or lack one) is damaged or was tampered with, and
--    deleting either copy would destroy the evidence, so it is not migrated.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM tree_nodes n LEFT JOIN leaves l ON l.idx = n.idx
                WHERE n.level = 0 AND l.leaf_hash IS DISTINCT FROM n.hash)
       OR EXISTS (SELECT 1 FROM leaves l LEFT JOIN tree_nodes n ON n.level = 0 AND n.idx = l.idx
                   WHERE n.idx IS NULL) THEN
        RAISE EXCEPTION 'level-0 tree_nodes and leaves.leaf_hash disagree: the log is damaged; not migrating it';
    END IF;
END
$$;
DELETE FROM tree_nodes WHERE level = 0;
ALTER TABLE tree_nodes ADD CONSTRAINT tree_nodes_above_leaves CHECK (level > 0);

-- 2. Usage leaves are nearly all of the log, so listing them by type is a scan of the primary key anyway; the type
--    index is for the rare types (grants, KYC decisions, kill switches...), and usage appends no longer pay for it.
--    LeafQueries states the predicate in its query so that even a generic plan uses the index.
DROP INDEX leaves_by_type;
CREATE INDEX leaves_by_type ON leaves (entry_type, idx) WHERE entry_type <> 'usage';

-- 3. A leaf is looked up by its hash only for equality (inclusion proofs by leafHash): a hash index, smaller and
--    cheaper to insert into than a B-tree over 32 random bytes.
DROP INDEX leaves_by_hash;
CREATE INDEX leaves_by_hash ON leaves USING hash (leaf_hash);

-- Kept: the primary key (idx), the appender-scoped idempotency key (unique, the sequencer's lookup),
-- leaves_by_subject (a researcher's own entries), leaves_by_model (the regulator's listing by model) and the B-tree
-- leaves_by_time (periods). A BRIN index on logged_at was tried: PostgreSQL then planned a period's listing as a scan
-- of the primary key from index 0 (ADR 0099).

-- The append role still only reads and inserts (invariant 3).
GRANT SELECT, INSERT ON leaves, tree_nodes TO ${appender_role};
REVOKE UPDATE, DELETE, TRUNCATE ON leaves, tree_nodes FROM ${appender_role};
