package org.vettedaccess.gateway.portal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An application as the researcher's pages show it: the part of kyc-service's answer the templates read. Type-safe
 * templates check every field name against this record at build time.
 */
public record ApplicationView(
        UUID id,
        String state,
        String legalName,
        String orcid,
        String orcidStatus,
        String purpose,
        Integer requestedTier,
        Instant createdAt,
        String institutionalEmail,
        EmailProof emailProof,
        List<Check> checks,
        List<Review> reviews,
        List<Event> timeline) {

    public ApplicationView {
        checks = checks == null ? List.of() : checks;
        reviews = reviews == null ? List.of() : reviews;
        timeline = timeline == null ? List.of() : timeline;
    }

    /** The newest institutional email code and its state. */
    public record EmailProof(String email, String state, Instant expiresAt, int attemptsLeft) {}

    /** An automated check's run. */
    public record Check(String name, String result, String detail, Instant ranAt) {}

    /** A reviewer's decision as the researcher sees it (without the reviewer). */
    public record Review(String decision, String reason, Instant at) {}

    /** A state the application entered, when, and why. */
    public record Event(String state, Instant at, String reason) {}
}
