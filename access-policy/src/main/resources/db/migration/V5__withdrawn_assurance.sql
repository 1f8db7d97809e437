-- A researcher may give up an approval (withdrawal, or erasure of their personal data in kyc-service).
ALTER TABLE assurances DROP CONSTRAINT assurances_status_check;
ALTER TABLE assurances ADD CONSTRAINT assurances_status_check
    CHECK (status IN ('APPROVED', 'SUSPENDED', 'EXPIRED', 'REJECTED', 'WITHDRAWN'));
