-- usage-ledger owns this schema; Flyway creates it and records its history in it.
COMMENT ON SCHEMA ledger IS 'usage-ledger: tamper-evident, regulator-verifiable log of every access-relevant event';
