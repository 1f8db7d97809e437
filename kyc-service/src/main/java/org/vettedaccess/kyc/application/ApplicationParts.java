package org.vettedaccess.kyc.application;

import java.util.List;
import java.util.UUID;

/**
 * What other features keep about an application and its view shows. This package owns the ports and each feature
 * implements its own (review, emailproof, screening), so they depend on applications and never the other way round.
 */
public final class ApplicationParts {

    private ApplicationParts() {}

    /** The reviewers' decisions (the review feature). */
    public interface Reviews {

        /** Every review of the application, oldest first; the reviewer's id only if {@code withReviewers}. */
        List<ApplicationView.Review> shown(UUID applicationId, boolean withReviewers);

        /** How many distinct reviewers' approvals count in the round (a declared conflict voids one). */
        int approvals(UUID applicationId, int round);
    }

    /** The institutional email proof (the emailproof feature). */
    public interface EmailProofs {

        /** The newest code's state, or null if none was sent. */
        ApplicationView.EmailProof shown(UUID applicationId);
    }

    /** The sanctions candidates (the screening feature). */
    public interface Candidates {

        /** Every candidate of the application (all rounds, newest first), as reviewers see them. */
        List<ApplicationView.Candidate> views(UUID applicationId, int currentRound);
    }
}
