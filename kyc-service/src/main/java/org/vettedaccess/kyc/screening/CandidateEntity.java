package org.vettedaccess.kyc.screening;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One listed entry that resembled the applicant's name in one review round. */
@Entity
@Table(name = "screening_candidates")
public class CandidateEntity {
    @Id
    public UUID id;

    @Column(name = "application_id")
    public UUID applicationId;

    /** The review round (column {@code round}); named so that no query reads it as HQL's round(). */
    @Column(name = "round")
    public int reviewRound;

    @Column(name = "list")
    public String listName;

    @Column(name = "entry_id")
    public String entryId;

    @Column(name = "listed_name")
    public String listedName;

    @Column(name = "matched_name")
    public String matchedName;

    @Column(name = "screened_name")
    public String screenedName;

    public double score;

    @Column(name = "list_version")
    public String listVersion;

    /** Which names matched, and which secondary identifiers agreed or differed. */
    public String explanation;

    @Column(name = "birth_date_differs")
    public boolean birthDateDiffers;

    /**
     * SHA-256 of the entry's data and the applicant's as screened (null on rows from before V9): the same entry
     * cleared for the same data is not raised again by a re-screen.
     */
    public String fingerprint;

    @Column(name = "found_at")
    public Instant foundAt;
}
