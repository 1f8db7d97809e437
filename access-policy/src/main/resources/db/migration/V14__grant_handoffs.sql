-- The grant hand-off (issue 19, ADR 0043): a tier-2 or tier-3 KYC approval whose tier needs a policy admin waits
-- here, with the models and purpose applied for, until an admin issues the grant (through GrantService, so through
-- the ledger) or refuses it with a reason the researcher reads. One row per approval: the KYC decision's leaf makes
-- a redelivered outcome a no-op.
CREATE TABLE grant_handoffs (
    id           uuid        PRIMARY KEY,
    subject      text        NOT NULL,
    kyc_leaf     bigint      NOT NULL,
    tier         int         NOT NULL,
    models       text[]      NOT NULL,
    purpose      text        NOT NULL,
    kyc_until    timestamptz,
    status       text        NOT NULL CHECK (status IN ('AWAITING', 'ISSUED', 'REFUSED', 'SUPERSEDED')),
    reason       text,
    decided_by   text,
    decided_at   timestamptz,
    grant_id     uuid,
    created_at   timestamptz NOT NULL,
    UNIQUE (subject, kyc_leaf)
);
CREATE INDEX grant_handoffs_awaiting ON grant_handoffs (created_at) WHERE status = 'AWAITING';
CREATE INDEX grant_handoffs_subject ON grant_handoffs (subject, created_at DESC);
