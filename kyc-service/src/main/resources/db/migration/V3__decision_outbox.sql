-- Decisions waiting to reach the ledger (then access-policy), in the order they were made. A decision commits
-- here first, so a ledger outage delays it but never loses it.
CREATE TABLE decision_outbox (
    id              uuid        PRIMARY KEY,
    application_id  uuid        NOT NULL REFERENCES applications (id),
    outcome         text        NOT NULL,
    idempotency_key text        NOT NULL UNIQUE,
    entry           text        NOT NULL,
    policy_outcome  text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('PENDING_LEDGER', 'PENDING_POLICY', 'DONE')),
    ledger_index    bigint,
    attempts        int         NOT NULL DEFAULT 0,
    last_error      text,
    created_at      timestamptz NOT NULL,
    done_at         timestamptz
);
CREATE INDEX decision_outbox_pending ON decision_outbox (created_at) WHERE state <> 'DONE';
