-- Delta re-screening (issue 19 item 5): what each candidate was found on, as a SHA-256 of the list entry's data
-- (list, entry id, listed and matched name, score, birth dates, countries) and the applicant's (name, date of birth,
-- nationality). A re-screen raises a candidate only if no cleared candidate of the application has the same
-- fingerprint: the same entry cleared for the same data is not new. Rows from before have none, so count as new.
ALTER TABLE screening_candidates ADD COLUMN fingerprint text;
CREATE INDEX screening_candidates_by_fingerprint ON screening_candidates (application_id, fingerprint);
-- An entry whose data changed is a new candidate even in a round that has the entry already (an approval's round,
-- cleared): one candidate per entry and data in a round.
ALTER TABLE screening_candidates DROP CONSTRAINT screening_candidates_application_id_round_list_entry_id_key;
CREATE UNIQUE INDEX screening_candidates_once_per_round
    ON screening_candidates (application_id, round, list, entry_id, coalesce(fingerprint, ''));
