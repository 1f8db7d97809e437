package org.vettedaccess.policy.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vettedaccess.contracts.policy.ModelRecord;
import org.vettedaccess.contracts.policy.ModelRecord.Disclosure;

/** Whether a catalog change only narrows access, and the ledger leaf of a model version. */
public final class ModelChange {

    private ModelChange() {}

    /**
     * True if going from {@code before} to {@code after} can only narrow who may call the model: the required
     * tier and the risk inputs (training FLOP, eval flags) stay or rise, the status stays or becomes SUSPENDED,
     * and the route, the parameter family, the Responses API mode and published disclosures stay (documents may be
     * added). Anything else, a new model
     * included ({@code before} null), loosens or redirects access and needs a second policy admin.
     */
    public static boolean restrictive(ModelRecord before, ModelRecord after) {
        if (before == null) {
            return false;
        }
        return after.requiredTier() >= before.requiredTier()
                && after.trainingFlop() >= before.trainingFlop()
                && new HashSet<>(after.evalFlags()).containsAll(before.evalFlags())
                && (after.status().equals(before.status()) || after.status().equals("SUSPENDED"))
                && after.upstreamRoute().equals(before.upstreamRoute())
                && after.parameterFamily().equals(before.parameterFamily())
                && after.responsesApi().equals(before.responsesApi())
                && new HashSet<>(after.disclosures()).containsAll(before.disclosures());
    }

    /**
     * The leaf fields of a model version (model.registered, model.changed, model.change-requested): every field
     * a decision depends on, the disclosures, who acted and, for a two-admin change, its id.
     */
    public static Map<String, Object> leaf(ModelRecord model, List<String> actors, UUID changeId) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("modelId", model.id());
        entry.put("upstreamRoute", model.upstreamRoute());
        entry.put("trainingFlop", model.trainingFlop());
        entry.put("evalFlags", List.copyOf(model.evalFlags()));
        entry.put("riskClass", model.riskClass());
        entry.put("requiredTier", model.requiredTier());
        entry.put("status", model.status());
        entry.put("version", model.version());
        // How the gateway caps and forwards a call to it: a regulator checks max_completion_tokens against it.
        entry.put("parameterFamily", model.parameterFamily());
        entry.put("responsesApi", model.responsesApi());
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Disclosure d : model.disclosures()) {
            documents.add(Map.of("kind", d.kind(), "url", d.url(), "sha256", d.sha256()));
        }
        entry.put("disclosures", documents);
        entry.put("actors", List.copyOf(actors));
        if (changeId != null) {
            entry.put("changeId", changeId.toString());
        }
        return entry;
    }

    /** The idempotency key of a model version's leaf. */
    public static String key(String id, int version) {
        return "model:" + id + ":v" + version;
    }
}
