package org.vettedaccess.kyc.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.vettedaccess.contracts.policy.ModelRecord;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Checks an application's requested models and tier against access-policy's catalog (ADR 0042): every model must
 * be in it and ACTIVE, and the tier must be at least the highest tier they need, when the request is saved and again
 * when it is submitted. The portal checks the same before it sends; this is the check that holds for any client of
 * the API.
 */
@ApplicationScoped
public class RequestedModels {

    private final CatalogClient catalog;

    public RequestedModels(CatalogClient catalog) {
        this.catalog = catalog;
    }

    /** A 400 problem naming the field if the request does not fit the catalog; a 503 if it cannot be read. */
    public void check(List<String> models, Integer tier) {
        if (models == null || models.isEmpty()) {
            return;
        }
        check(catalog.models(), models, tier);
    }

    /**
     * At submit: the saved request against the catalog as it is now (a model suspended or removed since it was
     * saved, or a tier its models no longer allow). A 422 naming the field, as the request is well-formed but no
     * longer fits; a 503 if the catalog cannot be read, so nothing is submitted unchecked.
     */
    public void recheck(List<String> models, Integer tier) {
        recheck(catalog.models(), models, tier);
    }

    static void recheck(List<ModelRecord> catalog, List<String> models, Integer tier) {
        try {
            check(catalog, models, tier);
        } catch (ProblemException refused) {
            if (refused.type() != ProblemType.INVALID_REQUEST) {
                throw refused;
            }
            throw new ProblemException(
                    ProblemType.POLICY_REFUSED,
                    refused.getMessage() + " The catalog changed since the application was saved: edit it, then"
                            + " submit.");
        }
    }

    static void check(List<ModelRecord> catalog, List<String> models, Integer tier) {
        Map<String, ModelRecord> byId =
                catalog.stream().collect(Collectors.toMap(ModelRecord::id, Function.identity(), (a, b) -> a));
        int needed = 1;
        String neediest = null;
        for (String id : models) {
            ModelRecord model = byId.get(id);
            if (model == null) {
                throw ProblemException.invalidField("requestedModels", "'" + id + "' is not in the lab's catalog");
            }
            if (!model.active()) {
                throw ProblemException.invalidField(
                        "requestedModels", "'" + id + "' is suspended and cannot be requested now");
            }
            if (model.requiredTier() > needed) {
                needed = model.requiredTier();
                neediest = id;
            }
        }
        if (tier != null && tier < needed) {
            throw ProblemException.invalidField(
                    "requestedTier", "must be at least " + needed + ": '" + neediest + "' needs tier " + needed);
        }
    }
}
