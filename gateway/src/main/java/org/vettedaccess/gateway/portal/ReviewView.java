package org.vettedaccess.gateway.portal;

import java.time.Instant;
import java.util.List;

/** What the reviewer's pages show: the queue's rows, and one application with its checks and candidates. */
public final class ReviewView {

    private ReviewView() {}

    /** A row of the review queue. */
    public record QueueRow(
            String id,
            String legalName,
            Integer requestedTier,
            Instant submittedAt,
            Instant slaDueAt,
            boolean overdue,
            String claimedBy,
            int approvalsNeeded,
            int approvalsThisRound) {}

    /** An application as its reviewer sees it (ids are strings: the forms echo them back as text). */
    public record Application(
            String id,
            String state,
            String legalName,
            String email,
            String institutionalEmail,
            String orcid,
            String orcidStatus,
            String affiliation,
            String rorId,
            String country,
            String position,
            String purpose,
            Integer requestedTier,
            List<String> requestedModels,
            String fundingSources,
            String conflictsOfInterest,
            ApplicationView.EmailProof emailProof,
            int approvalsNeeded,
            int approvalsThisRound,
            List<Check> checks,
            List<Review> reviews,
            List<Candidate> candidates) {

        public Application {
            requestedModels = requestedModels == null ? List.of() : requestedModels;
            checks = checks == null ? List.of() : checks;
            reviews = reviews == null ? List.of() : reviews;
            candidates = candidates == null ? List.of() : candidates;
        }

        /** The staff named on the application: who decided and who dispositioned a candidate. */
        public List<String> reviewers() {
            List<String> ids = new java.util.ArrayList<>();
            reviews.forEach(r -> ids.add(r.reviewer()));
            candidates.forEach(c -> c.dispositions().forEach(d -> ids.add(d.reviewer())));
            return ids;
        }
    }

    /** An automated check's run, with its input. */
    public record Check(String name, String input, String result, String detail) {}

    /** A reviewer's decision. */
    public record Review(int round, String decision, String reason, Instant at, String reviewer) {}

    /** A sanctions screening candidate and its dispositions. */
    public record Candidate(
            String id,
            int round,
            boolean current,
            String list,
            String entryId,
            String listedName,
            String matchedName,
            double score,
            String listVersion,
            String explanation,
            boolean birthDateDiffers,
            boolean strong,
            int clearancesNeeded,
            String status,
            List<Disposition> dispositions) {

        public Candidate {
            dispositions = dispositions == null ? List.of() : dispositions;
        }
    }

    /** A reviewer's disposition of a candidate, with its evidence. */
    public record Disposition(String reviewer, String disposition, String evidence, Instant at) {}

    /** What a refused form writes back. */
    public record Echo(String action, String reason, String candidate, String evidence) {}
}
