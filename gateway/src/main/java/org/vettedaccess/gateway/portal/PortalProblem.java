package org.vettedaccess.gateway.portal;

/**
 * A service refused what the portal asked for the user: its status and problem detail, shown in the page. When
 * the detail names a field ({@code 'orcid' must be ...}), the page shows it beside that field.
 */
public class PortalProblem extends RuntimeException {

    private final int status;
    private final String type;

    public PortalProblem(int status, String type, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    /** The problem's type slug, e.g. {@code wrong-code}. */
    public String type() {
        return type;
    }

    /** The field the detail names in quotes, or null. */
    public String field() {
        String detail = getMessage();
        if (detail != null && detail.startsWith("'")) {
            int end = detail.indexOf('\'', 1);
            if (end > 1) {
                return detail.substring(1, end);
            }
        }
        return null;
    }

    static PortalProblem from(int status, java.util.Map<?, ?> problem) {
        String type = problem == null ? "" : String.valueOf(problem.get("type"));
        String detail = problem == null || problem.get("detail") == null
                ? "The service answered " + status + "."
                : String.valueOf(problem.get("detail"));
        return new PortalProblem(status, type.substring(type.lastIndexOf(':') + 1), detail);
    }
}
