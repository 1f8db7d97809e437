-- Tiers whose grants kyc-service's approval may issue by itself (tier 1 by default); higher tiers need an admin.
ALTER TABLE tiers ADD COLUMN auto_grant boolean NOT NULL DEFAULT false;
UPDATE tiers SET auto_grant = true WHERE tier = 1;

-- A grant whose end has passed is recorded as EXPIRED (with its grant.expired leaf) by the expiry sweep.
ALTER TABLE grants DROP CONSTRAINT grants_status_check;
ALTER TABLE grants ADD CONSTRAINT grants_status_check CHECK (status IN ('ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED'));
CREATE INDEX grants_active_by_end ON grants (valid_until) WHERE status = 'ACTIVE';
