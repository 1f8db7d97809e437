-- A grant's purpose is committed to in its ledger leaves as SHA-256(salt || purpose): without the salt a guessed
-- purpose could be confirmed against the log, and equal purposes of two researchers would be linked. Grants issued
-- before this keep a null salt (their leaves committed to the bare purpose).
ALTER TABLE grants ADD COLUMN purpose_salt text;
