package org.vettedaccess.policy.incident;

/**
 * The published severity scale of flaw and incident reports (access-policy README, "Incident reports"); each has
 * its own acknowledgement and mitigation deadline in {@link IncidentConfig}.
 */
public enum Severity {
    /** Serious harm is possible now through the model or the service (e.g. a working uplift to mass-casualty harm). */
    CRITICAL,
    /** A safeguard reliably fails, or personal data leaks, but the harm is bounded or needs more than the flaw. */
    HIGH,
    /** A safeguard fails under narrow conditions, or harm is limited in reach. */
    MEDIUM,
    /** Minor or theoretical; worth fixing, with no pressing harm. */
    LOW;

    static Severity parse(String value, String field) {
        try {
            return Severity.valueOf(value == null ? "" : value.strip());
        } catch (IllegalArgumentException e) {
            throw org.vettedaccess.support.problem.ProblemException.invalidField(
                    field, "must be one of CRITICAL, HIGH, MEDIUM, LOW");
        }
    }
}
