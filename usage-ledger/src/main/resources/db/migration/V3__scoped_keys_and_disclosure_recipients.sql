-- Issue 17: idempotency keys are scoped per appender, so one service account cannot pre-claim another's key
-- (say the gateway taking access-policy's "grant:<id>:v2" to make its next suspension a 409). The unique index
-- also serves the sequencer's lookup of a batch's keys.
ALTER TABLE leaves DROP CONSTRAINT leaves_idempotency_key_key;
ALTER TABLE leaves ADD CONSTRAINT leaves_appender_key UNIQUE (appended_by, idempotency_key);

-- Issue 18: a disclosed name is shown only to the regulators the disclosure names (their usernames), and a
-- pseudonym may be disclosed again, to others; so one row per disclosure leaf rather than per pseudonym.
ALTER TABLE disclosures DROP CONSTRAINT disclosures_pkey;
ALTER TABLE disclosures ADD PRIMARY KEY (leaf_index);
ALTER TABLE disclosures ADD COLUMN disclosed_to text[] NOT NULL DEFAULT '{}';
-- Disclosures made before: their recipients are in their leaves (disclosedTo, comma-separated usernames).
UPDATE disclosures d
   SET disclosed_to = ARRAY(
       SELECT btrim(name)
         FROM unnest(string_to_array(convert_from(l.entry, 'UTF8')::jsonb ->> 'disclosedTo', ',')) AS name
        WHERE btrim(name) <> '')
  FROM leaves l
 WHERE l.idx = d.leaf_index;
CREATE INDEX disclosures_by_pseudonym ON disclosures (pseudonym, leaf_index);

-- The append role still only reads and inserts (invariant 3); restated so that this migration cannot widen it.
GRANT SELECT, INSERT ON leaves, tree_nodes, checkpoints, disclosures TO ${appender_role};
REVOKE UPDATE, DELETE, TRUNCATE ON leaves, tree_nodes, checkpoints, disclosures FROM ${appender_role};
