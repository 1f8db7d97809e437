-- A hand-off refusal is a ledger leaf (ADR 0084): handoff.refused, through the outbox (a refusal is not a
-- permissive change, so it never waits for the ledger). The leaf commits to the reason with this salt, never the
-- reason itself; leaf_index is set once the outbox has delivered it.
ALTER TABLE grant_handoffs ADD COLUMN reason_salt text;
ALTER TABLE grant_handoffs ADD COLUMN leaf_index bigint;
