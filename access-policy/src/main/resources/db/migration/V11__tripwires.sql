-- Tripwires (issue 21): rules a policy admin defines and versions, checked by the gateways on the usage stream,
-- and the trips that engaged a rule's action. A rule's row is its current version; every version is a
-- tripwire.changed leaf (written before the version is stored), so the log holds the whole history.
CREATE TABLE tripwire_rules (
    id uuid PRIMARY KEY,
    version integer NOT NULL,
    kind text NOT NULL,
    model text NOT NULL,
    window_seconds integer NOT NULL,
    threshold_percent integer NOT NULL,
    min_calls integer NOT NULL,
    multiple_percent integer NOT NULL,
    baseline_floor_tokens bigint NOT NULL,
    allowed_from_hour integer NOT NULL,
    allowed_to_hour integer NOT NULL,
    action text NOT NULL,
    active boolean NOT NULL,
    defined_by text NOT NULL,
    defined_at timestamptz NOT NULL,
    leaf_index bigint NOT NULL
);

CREATE TABLE tripwire_trips (
    id uuid PRIMARY KEY,
    rule_id uuid NOT NULL REFERENCES tripwire_rules (id),
    rule_version integer NOT NULL,
    rule_leaf bigint NOT NULL,
    kind text NOT NULL,
    model text NOT NULL,
    subject text,
    grant_id uuid,
    kill_switch_id uuid,
    figures text NOT NULL,
    reported_by text NOT NULL,
    tripped_at timestamptz NOT NULL,
    -- Null until the outbox has delivered the tripwire.tripped leaf.
    leaf_index bigint
);

CREATE INDEX tripwire_trips_rule ON tripwire_trips (rule_id, tripped_at DESC);
