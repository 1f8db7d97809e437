-- kyc-service owns this schema; Flyway creates it and records its history in it.
COMMENT ON SCHEMA kyc IS 'kyc-service: researcher vetting: applications, automated checks, four-eyes review, re-screening';
