-- How long a gateway API key of a tier lives by default, and at most. Higher tiers get shorter-lived keys.
ALTER TABLE tiers ADD COLUMN key_default_days int;
ALTER TABLE tiers ADD COLUMN key_max_days int;
UPDATE tiers SET key_default_days = 90, key_max_days = 365 WHERE tier = 1;
UPDATE tiers SET key_default_days = 30, key_max_days = 90 WHERE tier = 2;
UPDATE tiers SET key_default_days = 7, key_max_days = 30 WHERE tier >= 3;
ALTER TABLE tiers ALTER COLUMN key_default_days SET NOT NULL;
ALTER TABLE tiers ALTER COLUMN key_max_days SET NOT NULL;
ALTER TABLE tiers ADD CONSTRAINT key_days_ordered CHECK (key_default_days BETWEEN 1 AND key_max_days);
