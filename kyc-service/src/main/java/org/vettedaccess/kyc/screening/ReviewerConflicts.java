package org.vettedaccess.kyc.screening;

import java.util.UUID;

/**
 * Whether a reviewer has declared a conflict on an application: a clearance by such a reviewer no longer counts.
 * Screening owns the port and the review feature implements it, so review depends on screening and not back.
 */
public interface ReviewerConflicts {

    boolean declared(UUID applicationId, String reviewer);
}
