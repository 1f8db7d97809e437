package org.vettedaccess.kyc.application;

import java.util.Map;
import java.util.Set;

/** The states of an application and the moves between them; any other move is a 409. */
public final class ApplicationState {

    public static final String DRAFT = "DRAFT";
    public static final String SUBMITTED = "SUBMITTED";
    public static final String SCREENING = "SCREENING";
    public static final String IN_REVIEW = "IN_REVIEW";
    public static final String APPROVED = "APPROVED";
    public static final String REJECTED = "REJECTED";
    public static final String CHANGES_REQUESTED = "CHANGES_REQUESTED";
    public static final String WITHDRAWN = "WITHDRAWN";
    public static final String EXPIRED = "EXPIRED";
    public static final String SUSPENDED = "SUSPENDED";

    private static final Map<String, Set<String>> MOVES = Map.of(
            DRAFT, Set.of(SUBMITTED, WITHDRAWN),
            SUBMITTED, Set.of(SCREENING, WITHDRAWN),
            SCREENING, Set.of(IN_REVIEW, REJECTED),
            IN_REVIEW, Set.of(APPROVED, REJECTED, CHANGES_REQUESTED, WITHDRAWN),
            CHANGES_REQUESTED, Set.of(SUBMITTED, WITHDRAWN),
            REJECTED, Set.of(SUBMITTED, WITHDRAWN),
            APPROVED, Set.of(EXPIRED, SUSPENDED, WITHDRAWN),
            SUSPENDED, Set.of(IN_REVIEW, EXPIRED),
            EXPIRED, Set.of(),
            WITHDRAWN, Set.of());

    /** States in which the researcher may still edit the fields. */
    public static final Set<String> EDITABLE = Set.of(DRAFT, CHANGES_REQUESTED, REJECTED);

    private ApplicationState() {}

    public static boolean canMove(String from, String to) {
        return MOVES.getOrDefault(from, Set.of()).contains(to);
    }
}
