package org.vettedaccess.policy.changerequest;

/**
 * What a catalog or tier change did: applied at once (restrictive), or stored as a change request waiting for a
 * second policy admin (permissive). Exactly one is set.
 */
public record ChangeOutcome<T>(T applied, ChangeRequestRecord pending) {

    public static <T> ChangeOutcome<T> applied(T applied) {
        return new ChangeOutcome<>(applied, null);
    }

    public static <T> ChangeOutcome<T> pending(ChangeRequestRecord pending) {
        return new ChangeOutcome<>(null, pending);
    }
}
