-- access-policy owns this schema; Flyway creates it and records its history in it.
COMMENT ON SCHEMA policy IS 'access-policy: model catalog, risk tiers, grants, decisions, revocation and the kill switch';
