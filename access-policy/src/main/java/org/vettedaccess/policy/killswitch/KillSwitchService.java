package org.vettedaccess.policy.killswitch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vettedaccess.policy.change.ChangeFeed;
import org.vettedaccess.policy.ledger.LedgerRecorder;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * The scoped kill switch: one policy admin engages it, with a reason, and it takes effect at once; releasing it
 * takes two different admins, one to ask and another to confirm. Engaging, asking and releasing are ledger
 * leaves. Engaging never waits for the ledger (its leaf goes through the outbox); a release request and a release
 * are refused while their leaf cannot be written.
 */
@ApplicationScoped
public class KillSwitchService {

    private static final Set<String> SCOPES = Set.of("GLOBAL", "MODEL", "TIER", "INSTITUTION", "COUNTRY");

    private final KillSwitchRepository switches;
    private final LedgerRecorder ledger;
    private final ChangeFeed feed;
    private final Clock clock;

    public KillSwitchService(KillSwitchRepository switches, LedgerRecorder ledger, ChangeFeed feed, Clock clock) {
        this.switches = switches;
        this.ledger = ledger;
        this.feed = feed;
        this.clock = clock;
    }

    public List<KillSwitchRecord> list() {
        return switches.listAll().stream().map(KillSwitchRecord::of).toList();
    }

    @Transactional
    public KillSwitchRecord engage(KillSwitchRequest request, String admin) {
        return engage(request, admin, null);
    }

    /** Engages a kill switch that answers an incident report: its leaf names the report ({@code incidentId}). */
    @Transactional
    public KillSwitchRecord engage(KillSwitchRequest request, String admin, UUID incidentId) {
        if (request == null || request.scope() == null || !SCOPES.contains(request.scope())) {
            throw ProblemException.invalidField("scope", "must be one of " + SCOPES);
        }
        String value = request.value();
        switch (request.scope()) {
            case "GLOBAL" -> {
                if (value != null) {
                    throw ProblemException.invalidField("value", "must be empty for a GLOBAL kill switch");
                }
            }
            case "TIER" -> {
                if (value == null || !value.matches("[1-3]")) {
                    throw ProblemException.invalidField("value", "must be a tier, 1 to 3");
                }
            }
            case "INSTITUTION" -> {
                value = Scopes.institution(value);
                if (!Scopes.isRor(value)) {
                    throw ProblemException.invalidField("value", "must be a ROR id such as 05qwgg493");
                }
            }
            case "COUNTRY" -> {
                if (!Scopes.isCountry(value)) {
                    throw ProblemException.invalidField("value", "must be an ISO 3166-1 alpha-2 code such as 'DE'");
                }
            }
            default -> {
                if (value == null || value.isBlank()) {
                    throw ProblemException.invalidField("value", "must name a model");
                }
            }
        }
        String model = request.model();
        if (model != null) {
            if (!request.scope().equals(Scopes.INSTITUTION) && !request.scope().equals(Scopes.COUNTRY)) {
                throw ProblemException.invalidField(
                        "model", "only an INSTITUTION or COUNTRY kill switch names a model (MODEL scope: use value)");
            }
            if (model.isBlank() || model.length() > 200) {
                throw ProblemException.invalidField("model", "must name a model");
            }
        }
        if (request.reason() == null
                || request.reason().isBlank()
                || request.reason().length() > 500) {
            throw ProblemException.invalidField("reason", "is required (1 to 500 characters)");
        }
        KillSwitchEntity engaged = new KillSwitchEntity();
        engaged.id = UUID.randomUUID();
        engaged.scopeKind = request.scope();
        engaged.scopeValue = value;
        engaged.scopeModel = model;
        engaged.reason = request.reason();
        engaged.engagedBy = admin;
        engaged.engagedAt = clock.instant();
        // Restrictive: in force at commit whatever is down; the leaf follows from the outbox (engagedLeaf until then
        // null, set by KillSwitchLeaves).
        Map<String, Object> entry = leaf(engaged, List.of(admin));
        // When it took effect: its leaf may reach the ledger later, through the outbox (docs/regulators.md).
        entry.put("at", engaged.engagedAt.toString());
        if (incidentId != null) {
            entry.put("incidentId", incidentId.toString());
        }
        ledger.restrictive("killswitch:" + engaged.id + ":engaged", "killswitch.engaged", entry);
        switches.persist(engaged);
        feed.record("killswitch.engaged", null, null, scope(engaged));
        return KillSwitchRecord.of(engaged);
    }

    /** The first admin's call asks for release; a second, different admin's call releases. */
    @Transactional
    public KillSwitchRecord release(UUID id, String admin) {
        KillSwitchEntity engaged = switches.findById(id);
        if (engaged == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No kill switch " + id + ".");
        }
        if (engaged.releasedAt != null) {
            throw new ProblemException(ProblemType.CONFLICT, "The kill switch is already released.");
        }
        if (engaged.releaseRequestedBy == null) {
            // A release loosens access: the request is a leaf first, or it is refused (503) and not stored.
            engaged.releaseRequestedLeaf = ledger.permissive(
                    "killswitch:" + engaged.id + ":release-requested",
                    "killswitch.release-requested",
                    leaf(engaged, List.of(admin)));
            engaged.releaseRequestedBy = admin;
            return KillSwitchRecord.of(engaged);
        }
        if (engaged.releaseRequestedBy.equals(admin)) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "Releasing a kill switch needs a second, different policy admin to confirm.");
        }
        engaged.releasedBy = admin;
        engaged.releasedAt = clock.instant();
        // Permissive: refused with a 503 unless the ledger takes the leaf now, after every earlier queued one.
        engaged.releasedLeaf = ledger.permissive(
                "killswitch:" + engaged.id + ":released",
                "killswitch.released",
                leaf(engaged, List.of(engaged.releaseRequestedBy, admin)));
        if (engaged.engagedLeaf == null) {
            // Delivered just now, ahead of the release, by the drain above: show it.
            engaged.engagedLeaf = switches.engagedLeaf(engaged.id);
        }
        feed.record("killswitch.released", null, null, scope(engaged));
        return KillSwitchRecord.of(engaged);
    }

    /**
     * The engaged (not yet released) INSTITUTION and COUNTRY switches that cover {@code model}: those naming it, and
     * those naming no model. A CALLS_FROM_SCOPE rule on the model expects no call from their scopes (ADR 0045).
     */
    public List<KillSwitchRecord> engagedScoped(String model) {
        return switches.engaged().stream()
                .filter(s -> s.scopeKind.equals(Scopes.INSTITUTION) || s.scopeKind.equals(Scopes.COUNTRY))
                .filter(s -> s.scopeModel == null || s.scopeModel.equals(model))
                .map(KillSwitchRecord::of)
                .toList();
    }

    /** The switch as it stands now, or null. */
    public KillSwitchRecord find(UUID id) {
        KillSwitchEntity s = switches.findById(id);
        return s == null ? null : KillSwitchRecord.of(s);
    }

    static String scope(KillSwitchEntity s) {
        return s.scopeKind
                + (s.scopeValue == null ? "" : ":" + s.scopeValue)
                + (s.scopeModel == null ? "" : "@" + s.scopeModel);
    }

    private static Map<String, Object> leaf(KillSwitchEntity s, List<String> actors) {
        Map<String, Object> scope = new LinkedHashMap<>();
        switch (s.scopeKind) {
            case "GLOBAL" -> scope.put("global", true);
            case "MODEL" -> scope.put("models", List.of(s.scopeValue));
            case "TIER" -> scope.put("tiers", List.of(s.scopeValue));
            case "INSTITUTION" -> scope.put("institutions", List.of(s.scopeValue));
            default -> scope.put("countries", List.of(s.scopeValue));
        }
        if (s.scopeModel != null) {
            // Only that model's calls from the institution or country (ADR 0045); not "models", which would read as
            // a MODEL switch.
            scope.put("model", s.scopeModel);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("switchId", s.id.toString());
        entry.put("scope", scope);
        entry.put("reason", s.reason);
        entry.put("actors", actors);
        return entry;
    }
}
