-- When each periodic job last ran (service-support's PeriodicJob): an overdue job runs at start, and only the
-- replica holding the job's advisory lock runs it.
CREATE TABLE job_runs (
    name            text        PRIMARY KEY,
    last_success_at timestamptz,
    last_attempt_at timestamptz NOT NULL,
    last_error      text
);
