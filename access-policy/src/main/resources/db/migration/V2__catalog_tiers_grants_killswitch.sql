-- Tiers are data with versioned changes: a change inserts a new version; decisions use the newest.
CREATE TABLE tiers (
    id               bigserial   PRIMARY KEY,
    tier             int         NOT NULL CHECK (tier BETWEEN 1 AND 9),
    version          int         NOT NULL,
    min_assurance    int         NOT NULL,
    reviewers        int         NOT NULL,
    purpose_required boolean     NOT NULL,
    rescreen_days    int,
    rpm              int         NOT NULL,
    input_tpm        int         NOT NULL,
    output_tpm       int         NOT NULL,
    token_budget     bigint,
    max_tokens       int         NOT NULL,
    endpoints        text[]      NOT NULL,
    max_grant_days   int         NOT NULL,
    created_at       timestamptz NOT NULL,
    created_by       text        NOT NULL,
    UNIQUE (tier, version)
);

-- The defaults of BRIEF.md; a lab changes them through the API (a new version each time).
INSERT INTO tiers (tier, version, min_assurance, reviewers, purpose_required, rescreen_days, rpm, input_tpm,
                   output_tpm, token_budget, max_tokens, endpoints, max_grant_days, created_at, created_by)
VALUES
  (1, 1, 1, 0, false, NULL, 60, 100000, 20000, NULL,    4096, '{/v1/chat/completions,/v1/completions,/v1/embeddings}', 365, now(), 'migration'),
  (2, 1, 2, 1, false, NULL, 30, 50000,  10000, 5000000, 4096, '{/v1/chat/completions,/v1/completions,/v1/embeddings}', 180, now(), 'migration'),
  (3, 1, 3, 2, true,  30,   10, 20000,  5000,  1000000, 2048, '{/v1/chat/completions}',                              90,  now(), 'migration');

CREATE TABLE models (
    id             text             PRIMARY KEY,
    upstream_route text             NOT NULL,
    training_flop  double precision NOT NULL CHECK (training_flop >= 0),
    eval_flags     text[]           NOT NULL,
    required_tier  int              NOT NULL,
    status         text             NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    version        int              NOT NULL,
    updated_at     timestamptz      NOT NULL,
    updated_by     text             NOT NULL
);

-- What kyc-service reports about a subject: the assurance level that gates grants.
CREATE TABLE assurances (
    subject         text        PRIMARY KEY,
    assurance_level int         NOT NULL,
    approved_tier   int         NOT NULL,
    kyc_leaf        bigint      NOT NULL,
    status          text        NOT NULL CHECK (status IN ('APPROVED', 'SUSPENDED', 'EXPIRED', 'REJECTED')),
    institution     text,
    country         text,
    valid_until     timestamptz,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE grants (
    id          uuid        PRIMARY KEY,
    subject     text        NOT NULL,
    models      text[]      NOT NULL,
    purpose     text        NOT NULL,
    tier        int         NOT NULL,
    valid_from  timestamptz NOT NULL,
    valid_until timestamptz NOT NULL CHECK (valid_until > valid_from),
    status      text        NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'REVOKED')),
    kyc_leaf    bigint      NOT NULL,
    leaf_index  bigint,
    version     int         NOT NULL,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX grants_by_subject ON grants (subject);

CREATE TABLE kill_switches (
    id                   uuid        PRIMARY KEY,
    scope_kind           text        NOT NULL CHECK (scope_kind IN ('GLOBAL', 'MODEL', 'TIER', 'INSTITUTION', 'COUNTRY')),
    scope_value          text,
    reason               text        NOT NULL,
    engaged_by           text        NOT NULL,
    engaged_at           timestamptz NOT NULL,
    engaged_leaf         bigint,
    release_requested_by text,
    released_by          text,
    released_at          timestamptz,
    released_leaf        bigint
);

-- The change feed the gateways follow: revocations, suspensions, kill-switch and catalog changes.
CREATE TABLE changes (
    seq       bigserial   PRIMARY KEY,
    kind      text        NOT NULL,
    grant_id  uuid,
    subject   text,
    scope     text,
    at        timestamptz NOT NULL
);
