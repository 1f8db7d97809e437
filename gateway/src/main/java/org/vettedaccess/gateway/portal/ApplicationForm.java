package org.vettedaccess.gateway.portal;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The application form's three steps: which fields each edits, and how they go to kyc-service and back. */
final class ApplicationForm {

    /** The form's steps and the fields each one edits. */
    static final List<List<String>> STEPS = List.of(
            List.of("legalName", "email", "orcid", "country", "position", "dateOfBirth", "nationality"),
            List.of("affiliation", "rorId", "institutionalEmail"),
            List.of(
                    "purpose",
                    "requestedTier",
                    "requestedModels",
                    "fundingSources",
                    "conflictsOfInterest",
                    "termsAccepted"));

    private ApplicationForm() {}

    /** What the form's fields show: the saved application, or what was sent back with an error. */
    public record Values(
            String legalName,
            String email,
            String orcid,
            String country,
            String position,
            String dateOfBirth,
            String nationality,
            String affiliation,
            String rorId,
            String institutionalEmail,
            String purpose,
            String requestedTier,
            String requestedModels,
            String fundingSources,
            String conflictsOfInterest,
            String termsVersion) {

        static final Values EMPTY = of(Map.of());

        /** From kyc-service's application or a form echo; a missing field shows empty, models comma-separated. */
        static Values of(Map<String, ?> source) {
            return new Values(
                    text(source, "legalName"),
                    text(source, "email"),
                    text(source, "orcid"),
                    text(source, "country"),
                    text(source, "position"),
                    text(source, "dateOfBirth"),
                    text(source, "nationality"),
                    text(source, "affiliation"),
                    text(source, "rorId"),
                    text(source, "institutionalEmail"),
                    text(source, "purpose"),
                    text(source, "requestedTier"),
                    text(source, "requestedModels"),
                    text(source, "fundingSources"),
                    text(source, "conflictsOfInterest"),
                    text(source, "termsVersion"));
        }

        private static String text(Map<String, ?> source, String name) {
            Object value = source.get(name);
            if (value instanceof List<?> list) {
                return String.join(", ", list.stream().map(String::valueOf).toList());
            }
            return value == null ? "" : String.valueOf(value);
        }
    }

    /** The step's fields from the form, typed as kyc-service expects; empty ones are left out (unchanged). */
    static Map<String, Object> fields(MultivaluedMap<String, String> form, int step, String termsVersion) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name : STEPS.get(step - 1)) {
            String value = form.getFirst(name);
            if (name.equals("termsAccepted")) {
                if (value != null) {
                    fields.put("termsAccepted", true);
                    fields.put("termsVersion", termsVersion);
                }
                continue;
            }
            if (value == null || value.isBlank()) {
                continue;
            }
            switch (name) {
                case "requestedTier" -> {
                    try {
                        fields.put(name, Integer.parseInt(value.strip()));
                    } catch (NumberFormatException e) {
                        throw new PortalProblem(400, "invalid-request", "'requestedTier' must be 1, 2 or 3.");
                    }
                }
                case "requestedModels" ->
                    fields.put(
                            name,
                            Arrays.stream(value.split("[,\\s]+"))
                                    .filter(s -> !s.isBlank())
                                    .toList());
                default -> fields.put(name, value);
            }
        }
        return fields;
    }

    /** The form as it was sent, to write back into a refused form. */
    static Values echo(MultivaluedMap<String, String> form) {
        Map<String, Object> values = new HashMap<>();
        form.forEach((name, list) -> values.put(name, list.isEmpty() ? "" : list.get(0)));
        return Values.of(values);
    }

    /** What the researcher does next, for the application's state. */
    static String nextStep(String state) {
        return switch (state) {
            case "DRAFT" -> "Complete the three steps, confirm your institutional email, then submit.";
            case "IN_REVIEW" -> "A reviewer is looking at your application. You will see their decision here.";
            case "CHANGES_REQUESTED" -> "A reviewer asked for changes: read their reason, edit, then resubmit.";
            case "REJECTED" -> "Your application was rejected; you may edit it and resubmit.";
            case "APPROVED" -> "You are approved. Your grants and API keys are under Grants and Keys.";
            case "SUSPENDED" -> "Your access is suspended while a reviewer looks again.";
            case "EXPIRED" -> "Your approval expired; apply again to renew it.";
            default -> "This application is closed.";
        };
    }
}
