-- Restrictive changes (kill-switch engage, grant suspend, revoke, expiry) commit with their ledger entry here and
-- take effect at once; the relay (service-support's LedgerOutbox) delivers the rows in id order, each exactly once.
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

-- A restrictive KYC outcome (suspension, expiry, rejection, withdrawal) is reported before its leaf exists.
ALTER TABLE assurances ALTER COLUMN kyc_leaf DROP NOT NULL;
