-- Flaw and incident reports (issue 21). The text stays here; the ledger gets a salted commitment to it
-- (incident.reported) and one leaf per status change (incident.acknowledged, .triaged, .mitigated, .disclosed,
-- .rejected). Deadlines are stored as computed at filing (and the mitigation deadline again at triage, from the
-- confirmed severity), so a later change of the configured deadlines does not rewrite what the lab promised.
CREATE TABLE incidents (
    id                 uuid        PRIMARY KEY,
    reporter           text        NOT NULL,
    model              text        NOT NULL,
    category           text        NOT NULL,
    severity           text        NOT NULL CHECK (severity IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
    confirmed_severity text        CHECK (confirmed_severity IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
    description        text        NOT NULL,
    text_salt          text        NOT NULL,
    text_commitment    text        NOT NULL,
    receipt_ids        text[]      NOT NULL,
    receipt_leaves     bigint[]    NOT NULL,
    status             text        NOT NULL
        CHECK (status IN ('REPORTED', 'ACKNOWLEDGED', 'TRIAGED', 'MITIGATED', 'DISCLOSED', 'REJECTED')),
    reported_at        timestamptz NOT NULL,
    reported_leaf      bigint      NOT NULL,
    acknowledge_by     timestamptz NOT NULL,
    mitigate_by        timestamptz NOT NULL,
    embargo_until      timestamptz NOT NULL,
    answered_at        timestamptz,
    mitigated_at       timestamptz,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX incidents_by_reporter ON incidents (reporter);
CREATE INDEX incidents_open ON incidents (status) WHERE status IN ('REPORTED', 'ACKNOWLEDGED', 'TRIAGED');

-- Every status change with its leaf (null until the outbox delivers a one-click kill switch's mitigated leaf).
CREATE TABLE incident_events (
    id          bigserial   PRIMARY KEY,
    incident_id uuid        NOT NULL REFERENCES incidents (id),
    status      text        NOT NULL,
    actor       text        NOT NULL,
    at          timestamptz NOT NULL,
    leaf_index  bigint,
    severity    text,
    reason      text,
    mitigation  text,
    change_ref  text,
    switch_id   uuid
);
CREATE INDEX incident_events_by_incident ON incident_events (incident_id, id);
