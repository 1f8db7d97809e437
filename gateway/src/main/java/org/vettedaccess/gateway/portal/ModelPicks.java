package org.vettedaccess.gateway.portal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Models ticked on a portal form, checked against access-policy's catalog on the portal's server whatever the
 * browser sent: the apply form's requested models (ADR 0042) and the policy admin's grant form (ADR 0081). A model
 * the catalog does not offer (unknown, or suspended) is refused with the form's field named, so the page shows it
 * beside that field.
 */
final class ModelPicks {

    private ModelPicks() {}

    /** The ticked models, each offered by the catalog, and the highest tier they need (0 for none). */
    record Pick(List<String> models, int neededTier, String neediest) {}

    /** The values sent for {@code field}, split on commas and spaces, without duplicates. */
    static List<String> sent(jakarta.ws.rs.core.MultivaluedMap<String, String> form, String field) {
        return form.getOrDefault(field, List.of()).stream()
                .flatMap(value -> Arrays.stream(value.split("[,\\s]+")))
                .filter(id -> !id.isBlank())
                .distinct()
                .toList();
    }

    static Pick pick(List<String> picked, List<ApplicationForm.CatalogModel> catalog, String field) {
        Map<String, Integer> offered = new LinkedHashMap<>();
        catalog.stream()
                .filter(ApplicationForm.CatalogModel::offered)
                .forEach(m -> offered.put(m.id(), m.requiredTier()));
        int needed = 0;
        String neediest = null;
        for (String id : picked) {
            Integer tier = offered.get(id);
            if (tier == null) {
                throw new PortalProblem(
                        400,
                        "invalid-request",
                        "'" + field + "': " + id + " is not a model of the catalog; pick the models from the list.");
            }
            if (tier > needed) {
                needed = tier;
                neediest = id;
            }
        }
        return new Pick(picked, needed, neediest);
    }
}
