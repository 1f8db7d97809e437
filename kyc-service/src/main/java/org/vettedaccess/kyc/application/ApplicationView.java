package org.vettedaccess.kyc.application;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An application as its researcher (or a reviewer) sees it: fields, checks, reviews and timeline. Sanctions
 * candidates are shown to reviewers only ({@code candidates} is left out for the researcher: no tipping-off).
 * {@code orcidStatus} is VERIFIED when the iD came from the researcher's ORCID sign-in, UNVERIFIED when typed
 * (a reviewer checks it), null without an iD (ADR 0048).
 */
public record ApplicationView(
        UUID id,
        String state,
        String legalName,
        String email,
        String institutionalEmail,
        String orcid,
        String orcidStatus,
        String affiliation,
        String rorId,
        String country,
        java.time.LocalDate dateOfBirth,
        String nationality,
        String position,
        String purpose,
        Integer requestedTier,
        List<String> requestedModels,
        String fundingSources,
        String conflictsOfInterest,
        String termsVersion,
        Integer assuranceLevel,
        Long kycLeaf,
        Instant validUntil,
        Instant createdAt,
        Instant submittedAt,
        Instant erasedAt,
        EmailProof emailProof,
        int approvalsNeeded,
        int approvalsThisRound,
        List<Check> checks,
        List<Review> reviews,
        List<Event> timeline,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Candidate> candidates) {

    /**
     * The newest institutional email code: PENDING, VERIFIED, EXPIRED, LOCKED or SUPERSEDED; {@code attempts}
     * counts the codes tried, wrong and late ones included.
     */
    public record EmailProof(
            String email,
            String state,
            Instant sentAt,
            Instant expiresAt,
            int attempts,
            int attemptsLeft,
            Instant verifiedAt) {}

    /** An automated check's run. */
    public record Check(String name, String input, String result, String detail, Instant ranAt) {}

    /**
     * A reviewer's decision with its reason; {@code reviewer} is shown to reviewers, not to the researcher.
     */
    public record Review(int round, String decision, String reason, Instant at, String reviewer) {}

    /** A state the application entered, when, and why. */
    public record Event(String state, Instant at, String reason) {}

    /**
     * A sanctions screening candidate, for reviewers: the list entry, the names that matched, the score, the list's
     * version, why it matched ({@code explanation}: names, and whether the birth date and nationality agree or
     * differ; {@code birthDateDiffers} marks a namesake born on another date), how many distinct reviewers'
     * FALSE_POSITIVE dispositions clear it, and those given so far.
     * {@code status} is OPEN, CLEARED or TRUE_MATCH; {@code current} is false for an earlier round's candidate.
     */
    public record Candidate(
            UUID id,
            int round,
            boolean current,
            String list,
            String entryId,
            String listedName,
            String matchedName,
            String screenedName,
            double score,
            String listVersion,
            String explanation,
            boolean birthDateDiffers,
            boolean strong,
            int clearancesNeeded,
            String status,
            List<Disposition> dispositions) {}

    /** A reviewer's disposition of a candidate, with its evidence. */
    public record Disposition(String reviewer, String disposition, String evidence, Instant at) {}
}
