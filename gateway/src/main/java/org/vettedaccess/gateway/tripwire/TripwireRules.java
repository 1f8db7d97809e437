package org.vettedaccess.gateway.tripwire;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.vettedaccess.contracts.policy.TripwireRule;

/** The active rules as last read from access-policy, by model; replaced whole on each read. */
final class TripwireRules {

    static final String SUBJECT_TOKENS_PER_HOUR = "SUBJECT_TOKENS_PER_HOUR";

    private volatile List<TripwireRule> all = List.of();
    private volatile Map<String, List<TripwireRule>> subjectRulesByModel = Map.of();

    void replace(List<TripwireRule> rules) {
        List<TripwireRule> active = rules.stream().filter(TripwireRule::active).toList();
        all = active;
        subjectRulesByModel = active.stream()
                .filter(r -> r.kind().equals(SUBJECT_TOKENS_PER_HOUR))
                .collect(Collectors.groupingBy(TripwireRule::model));
    }

    /** The rules checked on the model's window (rates, off hours). */
    List<TripwireRule> modelRules() {
        return all.stream()
                .filter(Predicate.not(r -> r.kind().equals(SUBJECT_TOKENS_PER_HOUR)))
                .toList();
    }

    /** The subject rules on a model, checked as each call is counted. */
    List<TripwireRule> subjectRules(String model) {
        return subjectRulesByModel.getOrDefault(model, List.of());
    }

    TripwireRule byId(UUID id) {
        return all.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }
}
