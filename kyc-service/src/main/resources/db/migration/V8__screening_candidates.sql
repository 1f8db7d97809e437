-- Each sanctions screening candidate as its own record (issue 19): which list and entry, the names that matched,
-- the score and the list's version. Recorded per review round, so every submission and re-screen needs fresh
-- dispositions. Personal data (the screened and matched names) is erased with the rest of the application.
CREATE TABLE screening_candidates (
    id             uuid             PRIMARY KEY,
    application_id uuid             NOT NULL REFERENCES applications (id),
    round          int              NOT NULL,
    list           text             NOT NULL,
    entry_id       text             NOT NULL,
    listed_name    text             NOT NULL,
    matched_name   text             NOT NULL,
    screened_name  text             NOT NULL,
    score          double precision NOT NULL CHECK (score >= 0 AND score <= 1),
    list_version   text,
    -- Which names matched, and which secondary identifiers (birth date, nationality) agreed or differed.
    explanation    text,
    birth_date_differs boolean      NOT NULL DEFAULT false,
    found_at       timestamptz      NOT NULL,
    UNIQUE (application_id, round, list, entry_id)
);
CREATE INDEX screening_candidates_by_application ON screening_candidates (application_id, round);

-- A reviewer's disposition of one candidate, always with the evidence it rests on. One per reviewer and
-- candidate: the same reviewer twice never counts as two.
CREATE TABLE candidate_dispositions (
    id           bigserial   PRIMARY KEY,
    candidate_id uuid        NOT NULL REFERENCES screening_candidates (id),
    reviewer     text        NOT NULL,
    disposition  text        NOT NULL CHECK (disposition IN ('FALSE_POSITIVE', 'TRUE_MATCH')),
    evidence     text        NOT NULL,
    at           timestamptz NOT NULL,
    UNIQUE (candidate_id, reviewer)
);
CREATE INDEX candidate_dispositions_by_candidate ON candidate_dispositions (candidate_id);

-- Secondary identifiers the screening compares with a list entry's birth date and countries. Personal data:
-- erased with the rest, never sent to the ledger.
ALTER TABLE applications ADD COLUMN date_of_birth date;
ALTER TABLE applications ADD COLUMN nationality text;
