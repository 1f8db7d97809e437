package org.vettedaccess.kyc.application;

import java.util.List;
import java.util.UUID;

/**
 * The automated checks of a submission, as the application needs them. This package owns the port and the check
 * feature implements it, so checks depend on applications and never the other way round.
 */
public interface Vetting {

    /**
     * Screens the application, runs every automated check and stores the results in the caller's transaction.
     *
     * @param round the review round the sanctions candidates belong to
     */
    List<ApplicationView.Check> run(ApplicationEntity application, int round);

    /** The application's stored checks, oldest first, in full (the caller hides what its reader may not see). */
    List<ApplicationView.Check> of(UUID applicationId);
}
