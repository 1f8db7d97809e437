package org.vettedaccess.policy.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.vettedaccess.policy.change.ChangeFeed;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** The model catalog: risk follows compute and evaluations, and the tier follows risk. */
@ApplicationScoped
public class CatalogService {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final ModelRepository models;
    private final PolicyConfig config;
    private final ChangeFeed feed;
    private final Clock clock;

    public CatalogService(ModelRepository models, PolicyConfig config, ChangeFeed feed, Clock clock) {
        this.models = models;
        this.config = config;
        this.feed = feed;
        this.clock = clock;
    }

    public List<ModelRecord> list() {
        return models.listAll().stream().map(this::record).toList();
    }

    public ModelRecord get(String id) {
        return record(find(id));
    }

    ModelEntity find(String id) {
        ModelEntity model = models.findById(id);
        if (model == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No model '" + id + "' in the catalog.");
        }
        return model;
    }

    @Transactional
    public ModelRecord put(String id, ModelRequest request, String admin) {
        if (id == null || !ID.matcher(id).matches()) {
            throw ProblemException.invalidField("id", "must be 1 to 64 lowercase letters, digits, '.', '_' or '-'");
        }
        if (request == null) {
            throw ProblemException.invalidField("body", "is required");
        }
        if (request.upstreamRoute() == null
                || !SLUG.matcher(request.upstreamRoute()).matches()) {
            throw ProblemException.invalidField(
                    "upstreamRoute", "must name a gateway route (lowercase letters, digits and '-')");
        }
        if (request.trainingFlop() == null
                || !(request.trainingFlop() >= 0)
                || request.trainingFlop().isInfinite()) {
            throw ProblemException.invalidField("trainingFlop", "must be a non-negative number of FLOP");
        }
        List<String> flags = request.evalFlags() == null ? List.of() : request.evalFlags();
        for (int i = 0; i < flags.size(); i++) {
            if (flags.get(i) == null || !SLUG.matcher(flags.get(i)).matches()) {
                throw ProblemException.invalidField(
                        "evalFlags[" + i + "]", "must be a lowercase slug such as 'cyber-uplift'");
            }
        }
        String riskClass = riskClass(request.trainingFlop(), flags);
        int minimum = minimumTier(riskClass);
        int tier = request.requiredTier() == null ? minimum : request.requiredTier();
        if (tier < minimum || tier > 3) {
            throw ProblemException.invalidField(
                    "requiredTier", "must be between " + minimum + " and 3 for a " + riskClass + " model");
        }
        String status = request.status() == null ? "ACTIVE" : request.status();
        if (!status.equals("ACTIVE") && !status.equals("SUSPENDED")) {
            throw ProblemException.invalidField("status", "must be ACTIVE or SUSPENDED");
        }
        ModelEntity model = models.findById(id);
        boolean created = model == null;
        if (created) {
            model = new ModelEntity();
            model.id = id;
            model.version = 0;
        }
        model.upstreamRoute = request.upstreamRoute();
        model.trainingFlop = request.trainingFlop();
        model.evalFlags = flags.toArray(String[]::new);
        model.requiredTier = tier;
        model.status = status;
        model.version++;
        model.updatedAt = clock.instant();
        model.updatedBy = admin;
        if (created) {
            // Persisted once complete: an insert captures the entity's state when it is queued.
            models.persist(model);
        }
        feed.record("catalog.changed", null, null, "model:" + id);
        return record(model);
    }

    public String riskClass(double flop, List<String> flags) {
        if (flop >= config.systemicFlop() || !flags.isEmpty()) {
            return "SYSTEMIC";
        }
        return flop >= config.tier2Flop() ? "ELEVATED" : "STANDARD";
    }

    private static int minimumTier(String riskClass) {
        return switch (riskClass) {
            case "SYSTEMIC" -> 3;
            case "ELEVATED" -> 2;
            default -> 1;
        };
    }

    private ModelRecord record(ModelEntity model) {
        List<String> flags = Arrays.asList(model.evalFlags);
        return new ModelRecord(
                model.id,
                model.upstreamRoute,
                model.trainingFlop,
                flags,
                riskClass(model.trainingFlop, flags),
                model.requiredTier,
                model.status,
                model.version);
    }
}
