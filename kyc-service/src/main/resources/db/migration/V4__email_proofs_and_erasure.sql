-- Institutional email proof: a one-time code mailed to the address. Only a salted SHA-256 of the code is kept;
-- it expires, and wrong or late attempts are counted until the proof locks.
CREATE TABLE email_proofs (
    id             uuid        PRIMARY KEY,
    application_id uuid        NOT NULL REFERENCES applications (id),
    email          text        NOT NULL,
    code_salt      bytea       NOT NULL,
    code_hash      bytea       NOT NULL,
    state          text        NOT NULL CHECK (state IN ('PENDING', 'VERIFIED', 'EXPIRED', 'LOCKED', 'SUPERSEDED')),
    attempts       int         NOT NULL DEFAULT 0,
    sent_at        timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    verified_at    timestamptz
);
CREATE INDEX email_proofs_by_application ON email_proofs (application_id, sent_at DESC);

-- Erasure on the researcher's request: the personal fields are cleared, the pseudonymous history stays.
ALTER TABLE applications ADD COLUMN erased_at timestamptz;
