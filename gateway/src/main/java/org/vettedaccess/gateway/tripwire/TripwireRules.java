package org.vettedaccess.gateway.tripwire;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The active rules as last read from access-policy, by model; replaced whole on each read. */
final class TripwireRules {

    static final String SUBJECT_TOKENS_PER_HOUR = "SUBJECT_TOKENS_PER_HOUR";

    private volatile List<TripwireApi.Rule> all = List.of();
    private volatile Map<String, List<TripwireApi.Rule>> subjectRulesByModel = Map.of();

    void replace(List<TripwireApi.Rule> rules) {
        List<TripwireApi.Rule> active =
                rules.stream().filter(TripwireApi.Rule::active).toList();
        all = active;
        subjectRulesByModel = active.stream()
                .filter(r -> r.kind().equals(SUBJECT_TOKENS_PER_HOUR))
                .collect(Collectors.groupingBy(TripwireApi.Rule::model));
    }

    /** The rules checked on the model's window (rates, off hours). */
    List<TripwireApi.Rule> modelRules() {
        return all.stream()
                .filter(Predicate.not(r -> r.kind().equals(SUBJECT_TOKENS_PER_HOUR)))
                .toList();
    }

    /** The subject rules on a model, checked as each call is counted. */
    List<TripwireApi.Rule> subjectRules(String model) {
        return subjectRulesByModel.getOrDefault(model, List.of());
    }

    TripwireApi.Rule byId(UUID id) {
        return all.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }
}
