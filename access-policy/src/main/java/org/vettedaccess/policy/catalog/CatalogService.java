package org.vettedaccess.policy.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.vettedaccess.contracts.policy.ModelRecord;
import org.vettedaccess.contracts.policy.ModelRecord.Disclosure;
import org.vettedaccess.policy.change.ChangeFeed;
import org.vettedaccess.policy.changerequest.ChangeOutcome;
import org.vettedaccess.policy.changerequest.ChangeRequestEntity;
import org.vettedaccess.policy.changerequest.ChangeRequests;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.policy.ledger.LedgerRecorder;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * The model catalog: risk follows compute and evaluations, and the tier follows risk. Every version is a ledger
 * leaf. A change that only narrows access applies at once (its leaf through the outbox); any other, a new model
 * included, waits for a second policy admin (its request a leaf first).
 */
@ApplicationScoped
public class CatalogService {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_DISCLOSURES = 20;
    private static final int MAX_URL = 512;
    private static final TypeReference<List<Disclosure>> DISCLOSURES = new TypeReference<>() {};

    private final ModelRepository models;
    private final PolicyConfig config;
    private final ChangeFeed feed;
    private final LedgerRecorder ledger;
    private final ChangeRequests requests;
    private final ObjectMapper json;
    private final Clock clock;

    public CatalogService(
            ModelRepository models,
            PolicyConfig config,
            ChangeFeed feed,
            LedgerRecorder ledger,
            ChangeRequests requests,
            ObjectMapper json,
            Clock clock) {
        this.models = models;
        this.config = config;
        this.feed = feed;
        this.ledger = ledger;
        this.requests = requests;
        this.json = json;
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

    /**
     * Sets a model: applied at once if it only narrows access, else stored as a change request that a second,
     * different policy admin must confirm.
     */
    @Transactional
    public ChangeOutcome<ModelRecord> put(String id, ModelRequest request, String admin) {
        ModelRecord proposed = validate(id, request);
        requests.lockTarget("model:" + id);
        ModelEntity model = models.findById(id);
        ModelRecord before = model == null ? null : record(model);
        ModelRecord after = proposed.withVersion(before == null ? 1 : before.version() + 1, proposed.riskClass());
        if (ModelChange.restrictive(before, after)) {
            String key = ModelChange.key(id, after.version());
            apply(model, after, admin, key, null);
            ledger.restrictive(key, "model.changed", ModelChange.leaf(after, List.of(admin), null));
            feed.record("catalog.changed", null, null, "model:" + id);
            return ChangeOutcome.applied(record(model));
        }
        return ChangeOutcome.pending(requests.open(
                ChangeRequests.MODEL,
                id,
                before == null ? 0 : before.version(),
                after,
                admin,
                "model.change-requested",
                changeId -> ModelChange.leaf(after, List.of(admin), changeId)));
    }

    /**
     * Applies a pending model change that a second admin confirms (the caller has checked who and locked the
     * request): only against the version it was asked for, and only if it still meets the risk thresholds.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ModelRecord confirm(ChangeRequestEntity request, String confirmer) {
        ModelRecord proposed = requests.proposed(request, ModelRecord.class);
        requests.lockTarget("model:" + proposed.id());
        ModelEntity model = models.findById(proposed.id());
        int current = model == null ? 0 : model.version;
        if (current != request.baseVersion) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "Model '" + proposed.id() + "' changed since this was asked (version " + current + " now, "
                            + request.baseVersion + " then); withdraw it and ask again.");
        }
        String risk = riskClass(proposed.trainingFlop(), proposed.evalFlags());
        if (proposed.requiredTier() < minimumTier(risk)) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "Under the current thresholds a " + risk + " model needs at least tier " + minimumTier(risk)
                            + "; withdraw this change and ask again.");
        }
        ModelRecord after = proposed.withVersion(current + 1, risk);
        String key = ModelChange.key(after.id(), after.version());
        long leaf = ledger.permissive(
                key,
                model == null ? "model.registered" : "model.changed",
                ModelChange.leaf(after, List.of(request.requestedBy, confirmer), request.id));
        model = apply(model, after, confirmer, key, leaf);
        requests.applied(request, confirmer, leaf);
        // Its own kind, so gateways may keep serving cached decisions while they refresh (ChangePage.Change).
        feed.record("catalog.loosened", null, null, "model:" + after.id());
        return record(model);
    }

    /** Models without a leaf (made before leaves were): each gets one, through the outbox. */
    @Transactional
    public int recordUnrecorded(int limit) {
        List<ModelEntity> unrecorded = models.unrecorded(limit);
        for (ModelEntity model : unrecorded) {
            ModelRecord current = record(model);
            model.leafKey = ModelChange.key(model.id, model.version);
            ledger.restrictive(
                    model.leafKey,
                    "model.registered",
                    LedgerRecorder.seeded(ModelChange.leaf(current, List.of(model.updatedBy), null)));
        }
        return unrecorded.size();
    }

    private ModelEntity apply(ModelEntity model, ModelRecord after, String admin, String key, Long leaf) {
        boolean created = model == null;
        if (created) {
            model = new ModelEntity();
            model.id = after.id();
        }
        model.upstreamRoute = after.upstreamRoute();
        model.trainingFlop = after.trainingFlop();
        model.evalFlags = after.evalFlags().toArray(String[]::new);
        model.requiredTier = after.requiredTier();
        model.status = after.status();
        model.disclosures = write(after.disclosures());
        model.parameterFamily = after.parameterFamily();
        model.responsesApi = after.responsesApi();
        model.version = after.version();
        model.updatedAt = clock.instant();
        model.updatedBy = admin;
        model.leafKey = key;
        model.leafIndex = leaf;
        if (created) {
            // Persisted once complete: an insert captures the entity's state when it is queued.
            models.persist(model);
        }
        return model;
    }

    private ModelRecord validate(String id, ModelRequest request) {
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
        flags = List.copyOf(new java.util.LinkedHashSet<>(flags));
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
        String family = request.parameterFamily() == null ? "CHAT" : request.parameterFamily();
        if (!ModelRecord.FAMILIES.contains(family)) {
            throw ProblemException.invalidField("parameterFamily", "must be CHAT or REASONING");
        }
        String responsesApi = request.responsesApi() == null ? "TRANSLATED" : request.responsesApi();
        if (!ModelRecord.RESPONSES_APIS.contains(responsesApi)) {
            throw ProblemException.invalidField("responsesApi", "must be NATIVE or TRANSLATED");
        }
        return new ModelRecord(
                id,
                request.upstreamRoute(),
                request.trainingFlop(),
                flags,
                riskClass,
                tier,
                status,
                0,
                disclosures(request.disclosures()),
                null,
                family,
                responsesApi);
    }

    private static List<Disclosure> disclosures(List<Disclosure> given) {
        if (given == null) {
            return List.of();
        }
        if (given.size() > MAX_DISCLOSURES) {
            throw ProblemException.invalidField("disclosures", "may list at most " + MAX_DISCLOSURES + " documents");
        }
        List<Disclosure> checked = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            Disclosure d = given.get(i);
            String at = "disclosures[" + i + "]";
            if (d == null) {
                throw ProblemException.invalidField(at, "must be {kind, url, sha256}");
            }
            if (d.kind() == null || !SLUG.matcher(d.kind()).matches()) {
                throw ProblemException.invalidField(at + ".kind", "must be a lowercase slug such as 'model-card'");
            }
            if (!isPublicUrl(d.url())) {
                throw ProblemException.invalidField(
                        at + ".url", "must be an http or https URL with a host, no user info, at most 512 characters");
            }
            String hash = d.sha256() == null ? "" : d.sha256().toLowerCase(Locale.ROOT);
            if (!SHA256.matcher(hash).matches()) {
                throw ProblemException.invalidField(
                        at + ".sha256", "must be the document's SHA-256 in hex (64 characters)");
            }
            checked.add(new Disclosure(d.kind(), d.url(), hash));
        }
        if (new HashSet<>(checked).size() != checked.size()) {
            throw ProblemException.invalidField("disclosures", "must not list a document twice");
        }
        return List.copyOf(checked);
    }

    private static boolean isPublicUrl(String url) {
        if (url == null || url.length() > MAX_URL || url.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return false;
        }
        try {
            URI uri = new URI(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
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
                model.version,
                read(model.disclosures),
                model.leafIndex,
                model.parameterFamily,
                model.responsesApi);
    }

    private List<Disclosure> read(String text) {
        try {
            return text == null ? List.of() : List.copyOf(json.readValue(text, DISCLOSURES));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a model's stored disclosures could not be read", e);
        }
    }

    private String write(List<Disclosure> disclosures) {
        try {
            return json.writeValueAsString(disclosures);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("disclosures could not be written as JSON", e);
        }
    }
}
