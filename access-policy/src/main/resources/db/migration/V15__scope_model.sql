-- Scoped tripwires (ADR 0045): a kill switch of scope INSTITUTION or COUNTRY may name one model, and then covers
-- only that model's calls from the scope (null: every model, as before). A CALLS_FROM_SCOPE rule names the scope
-- it watches; its control-failure trips name the engaged switch that let a call through.
ALTER TABLE kill_switches ADD COLUMN scope_model text;
ALTER TABLE kill_switches ADD CONSTRAINT kill_switches_scope_model
    CHECK (scope_model IS NULL OR scope_kind IN ('INSTITUTION', 'COUNTRY'));

ALTER TABLE tripwire_rules ADD COLUMN scope_kind text;
ALTER TABLE tripwire_rules ADD COLUMN scope_value text;

ALTER TABLE tripwire_trips ADD COLUMN failed_switch_id uuid;
