-- A researcher's application: personal data lives only here (never in the ledger, which gets pseudonyms).
CREATE TABLE applications (
    id                  uuid        PRIMARY KEY,
    subject             text        NOT NULL,
    state               text        NOT NULL CHECK (state IN ('DRAFT', 'SUBMITTED', 'SCREENING', 'IN_REVIEW', 'APPROVED',
                                                             'REJECTED', 'CHANGES_REQUESTED', 'WITHDRAWN', 'EXPIRED',
                                                             'SUSPENDED')),
    legal_name          text,
    email               text,
    institutional_email text,
    orcid               text,
    affiliation         text,
    ror_id              text,
    country             text,
    position            text,
    purpose             text,
    requested_tier      int,
    requested_models    text[]      NOT NULL DEFAULT '{}',
    funding_sources     text,
    conflicts_of_interest text,
    terms_version       text,
    claimed_by          text,
    assurance_level     int,
    kyc_leaf            bigint,
    valid_until         timestamptz,
    version             int         NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    submitted_at        timestamptz
);
CREATE INDEX applications_by_subject ON applications (subject, created_at DESC);
CREATE INDEX applications_in_review ON applications (submitted_at) WHERE state = 'IN_REVIEW';

-- Every state an application passed through, with who moved it and why: the researcher's timeline.
CREATE TABLE application_events (
    id             bigserial   PRIMARY KEY,
    application_id uuid        NOT NULL REFERENCES applications (id),
    state          text        NOT NULL,
    actor          text        NOT NULL,
    reason         text,
    at             timestamptz NOT NULL
);
CREATE INDEX application_events_by_application ON application_events (application_id, id);

-- Automated checks, each with its input, result and when it ran.
CREATE TABLE checks (
    id             bigserial   PRIMARY KEY,
    application_id uuid        NOT NULL REFERENCES applications (id),
    name           text        NOT NULL,
    input          text        NOT NULL,
    result         text        NOT NULL CHECK (result IN ('PASS', 'FAIL', 'REVIEW')),
    detail         text        NOT NULL,
    ran_at         timestamptz NOT NULL
);
CREATE INDEX checks_by_application ON checks (application_id, id);

-- Reviewers' decisions, always with a written reason; tier 3 needs two distinct approvals.
CREATE TABLE reviews (
    id             bigserial   PRIMARY KEY,
    application_id uuid        NOT NULL REFERENCES applications (id),
    round          int         NOT NULL,
    reviewer       text        NOT NULL,
    decision       text        NOT NULL CHECK (decision IN ('APPROVE', 'REJECT', 'REQUEST_CHANGES')),
    reason         text        NOT NULL,
    at             timestamptz NOT NULL
);
CREATE INDEX reviews_by_application ON reviews (application_id, round);

CREATE TABLE conflicts (
    id             bigserial   PRIMARY KEY,
    application_id uuid        NOT NULL REFERENCES applications (id),
    reviewer       text        NOT NULL,
    reason         text        NOT NULL,
    at             timestamptz NOT NULL,
    UNIQUE (application_id, reviewer)
);
