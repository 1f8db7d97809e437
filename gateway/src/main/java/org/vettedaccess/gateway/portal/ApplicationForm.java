package org.vettedaccess.gateway.portal;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.contracts.policy.ModelRecord;

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

    /**
     * The researcher's name and email from their Keycloak profile (token claims), and the iD of their linked ORCID
     * account if any: prefilled and still editable (kyc-service alone decides whether the iD is proven).
     */
    public record Profile(String name, String email, String orcid) {

        Profile(String name, String email) {
            this(name, email, "");
        }

        /** The same profile with the iD an ORCID link has just proven (its token is newer than the page's). */
        Profile withOrcid(String linked) {
            return linked == null || linked.isBlank() ? this : new Profile(name, email, linked.strip());
        }
    }

    /** A model of access-policy's catalog as the form offers it: its id and the tier a grant for it needs. */
    public record CatalogModel(String id, int requiredTier, String status) {

        static CatalogModel of(ModelRecord model) {
            return new CatalogModel(model.id(), model.requiredTier(), model.status());
        }

        boolean offered() {
            return status == null || "ACTIVE".equals(status);
        }
    }

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

        /** A new application's values: name, email and linked ORCID iD from the profile, the rest empty. */
        static Values prefilled(Profile profile) {
            return of(Map.of("legalName", profile.name(), "email", profile.email(), "orcid", profile.orcid()));
        }

        /** Whether the model is among the requested ones (its checkbox is ticked). */
        public boolean picks(String model) {
            return Arrays.asList(requestedModels.split(",\\s*")).contains(model);
        }

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

    /** Steps 1 and 2's fields from the form (they need no catalog). */
    static Map<String, Object> fields(MultivaluedMap<String, String> form, int step, String termsVersion) {
        return fields(form, step, termsVersion, List.of());
    }

    /**
     * The step's fields from the form, typed as kyc-service expects; empty ones are left out (unchanged). Step 3's
     * models are the ticked catalog models (none ticked clears them), and the requested tier follows from them: the
     * highest tier they need. A model the catalog does not offer, or a tier sent below the models' need, is refused
     * here with the field named, whatever the browser sent.
     */
    static Map<String, Object> fields(
            MultivaluedMap<String, String> form, int step, String termsVersion, List<CatalogModel> catalog) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (step == 3) {
            models(form, catalog, fields);
        }
        for (String name : STEPS.get(step - 1)) {
            if (step == 3 && (name.equals("requestedModels") || name.equals("requestedTier"))) {
                continue;
            }
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

    private static void models(
            MultivaluedMap<String, String> form, List<CatalogModel> catalog, Map<String, Object> fields) {
        ModelPicks.Pick pick = ModelPicks.pick(ModelPicks.sent(form, "requestedModels"), catalog, "requestedModels");
        int needed = pick.neededTier();
        String neediest = pick.neediest();
        String sent = form.getFirst("requestedTier");
        if (sent != null && !sent.isBlank()) {
            int tier;
            try {
                tier = Integer.parseInt(sent.strip());
            } catch (NumberFormatException e) {
                throw new PortalProblem(400, "invalid-request", "'requestedModels': the tier must be 1, 2 or 3.");
            }
            if (tier < needed) {
                throw new PortalProblem(
                        400,
                        "invalid-request",
                        "'requestedModels': tier " + tier + " is below what the models need (" + neediest
                                + " needs tier " + needed + ").");
            }
            needed = tier;
        }
        fields.put("requestedModels", pick.models());
        if (needed > 0) {
            fields.put("requestedTier", needed);
        }
    }

    /** The form as it was sent, to write back into a refused form (every ticked model). */
    static Values echo(MultivaluedMap<String, String> form) {
        Map<String, Object> values = new HashMap<>();
        form.forEach((name, list) -> values.put(
                name, name.equals("requestedModels") ? List.copyOf(list) : list.isEmpty() ? "" : list.get(0)));
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
