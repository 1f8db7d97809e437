-- API keys: only a SHA-256 of the secret is stored; the secret is shown once, when it is made.
CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY,
    subject      text        NOT NULL,
    name         text        NOT NULL,
    prefix       text        NOT NULL,
    secret_hash  bytea       NOT NULL UNIQUE,
    grant_id     uuid,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    rotated_from uuid REFERENCES api_keys (id),
    replaced_by  uuid REFERENCES api_keys (id)
);
CREATE INDEX api_keys_subject ON api_keys (subject, created_at DESC);

-- The durable outbox: a usage record is written PENDING before the call is forwarded, READY when the call
-- ends, and DELIVERED once the ledger has given it a leaf index. Key events go the same way. Entries the ledger
-- refuses are kept as REJECTED, never dropped.
CREATE TABLE outbox (
    id            uuid        PRIMARY KEY,
    kind          text        NOT NULL,
    state         text        NOT NULL CHECK (state IN ('PENDING', 'READY', 'DELIVERED', 'REJECTED')),
    subject       text        NOT NULL,
    model         text,
    grant_id      uuid,
    budgeted      boolean     NOT NULL DEFAULT false,
    reserved      bigint      NOT NULL DEFAULT 0,
    input_tokens  bigint      NOT NULL DEFAULT 0,
    output_tokens bigint      NOT NULL DEFAULT 0,
    entry         jsonb       NOT NULL,
    created_at    timestamptz NOT NULL,
    ready_at      timestamptz,
    delivered_at  timestamptz,
    ledger_index  bigint,
    rejection     text
);
CREATE INDEX outbox_ready ON outbox (ready_at) WHERE state = 'READY';
CREATE INDEX outbox_pending ON outbox (created_at) WHERE state = 'PENDING';
CREATE INDEX outbox_subject ON outbox (subject, created_at);

-- Each grant's token budget, durable: Redis may keep nothing on disk, so what was spent lives here.
CREATE TABLE grant_budgets (
    grant_id uuid   PRIMARY KEY,
    budget   bigint NOT NULL,
    spent    bigint NOT NULL DEFAULT 0 CHECK (spent >= 0),
    reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0)
);
