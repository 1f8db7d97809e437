-- The change feed in commit order (docs/architecture.md, "The change feed"). Readers continue from the last
-- sequence they saw (seq > after), so a sequence must never become visible after a higher one. A bigserial default
-- is taken at insert time, not at commit, so a slow transaction used to commit a lower seq after a faster one's
-- higher seq, and every reader skipped it. Now each insert first takes one transaction-scoped advisory lock and
-- only then draws its seq: the lock is held until commit (PostgreSQL makes a commit visible before it releases
-- the transaction's locks), so feed writers commit one after another and seq order is commit order. Policy
-- changes are rare, and ChangeFeed writes its rows at the end of the transaction, so the wait is short.
-- The seq is drawn by the trigger, whoever inserts; a column default would be drawn before the lock.
ALTER TABLE changes ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE changes ADD CONSTRAINT changes_id_unique UNIQUE (id);
ALTER TABLE changes ALTER COLUMN seq DROP DEFAULT;

CREATE FUNCTION changes_in_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 0));
    NEW.seq := nextval(pg_get_serial_sequence(quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_TABLE_NAME), 'seq'));
    RETURN NEW;
END
$$;

CREATE TRIGGER changes_in_commit_order BEFORE INSERT ON changes
    FOR EACH ROW EXECUTE FUNCTION changes_in_commit_order();

-- When each periodic job last ran (service-support's PeriodicJob): an overdue job runs at start, and only the
-- replica holding the job's advisory lock runs it.
CREATE TABLE job_runs (
    name            text        PRIMARY KEY,
    last_success_at timestamptz,
    last_attempt_at timestamptz NOT NULL,
    last_error      text
);
