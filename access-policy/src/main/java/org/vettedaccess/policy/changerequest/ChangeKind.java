package org.vettedaccess.policy.changerequest;

/**
 * A feature whose permissive changes wait here for a second policy admin (the catalog's models, the tiers). This
 * package owns the port and those features implement it, so the dependency runs one way: they open change requests,
 * and a change request reaches back to them only through this interface.
 */
public interface ChangeKind {

    /** The requests it applies: {@link ChangeRequests#MODEL} or {@link ChangeRequests#TIER}. */
    String kind();

    /** The state a stored request would set, as the API shows it (the feature's own record). */
    Object proposed(ChangeRequestEntity request);

    /**
     * Applies a request that a second admin confirms, in the caller's transaction: the caller has checked who and
     * locked the request.
     */
    void confirm(ChangeRequestEntity request, String confirmer);
}
