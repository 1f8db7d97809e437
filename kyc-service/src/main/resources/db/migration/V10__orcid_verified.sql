-- Whether the application's ORCID iD is the one an ORCID sign-in proved (the token's orcid claim when it was
-- saved: ADR 0048). A typed iD stays false and a reviewer checks it; existing applications were all typed.
ALTER TABLE applications ADD COLUMN orcid_verified boolean NOT NULL DEFAULT false;
