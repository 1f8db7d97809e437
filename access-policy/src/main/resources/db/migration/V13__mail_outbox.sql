-- Mail to triagers and admins (issue 21): queued in the transaction that files a report or trips a tripwire, sent
-- after commit by service-support's LedgerOutbox relay with a mail sink (ADR 0041). Same columns as ledger_outbox;
-- leaf_index is unused (0) here.
CREATE TABLE mail_outbox (
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
CREATE INDEX mail_outbox_pending ON mail_outbox (id) WHERE delivered_at IS NULL;
