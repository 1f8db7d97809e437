-- KYC decisions' leaves wait here for the ledger (service-support's LedgerOutbox delivers them in id order, each
-- exactly once); decision_outbox keeps only the second stage, telling access-policy.
CREATE TABLE ledger_outbox (
    id              bigserial   PRIMARY KEY,
    idempotency_key text        NOT NULL UNIQUE,
    type            text        NOT NULL,
    entry           text        NOT NULL,
    ref             text,
    created_at      timestamptz NOT NULL,
    attempts        int         NOT NULL DEFAULT 0,
    last_error      text,
    leaf_index      bigint,
    delivered_at    timestamptz
);
CREATE INDEX ledger_outbox_pending ON ledger_outbox (id) WHERE delivered_at IS NULL;

-- Decisions made before this migration and not yet delivered keep their way: their leaf goes through the new table.
INSERT INTO ledger_outbox (idempotency_key, type, entry, ref, created_at)
SELECT idempotency_key, 'kyc.decision', entry, id::text, created_at
FROM decision_outbox WHERE state = 'PENDING_LEDGER' ORDER BY created_at;

-- A restrictive outcome makes an earlier undelivered report about the same researcher moot: it is SUPERSEDED.
ALTER TABLE decision_outbox DROP CONSTRAINT decision_outbox_state_check;
ALTER TABLE decision_outbox ADD CONSTRAINT decision_outbox_state_check
    CHECK (state IN ('PENDING_LEDGER', 'PENDING_POLICY', 'DONE', 'SUPERSEDED'));
