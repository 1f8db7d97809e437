package org.vettedaccess.policy.tripwire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vettedaccess.contracts.policy.Trip;
import org.vettedaccess.contracts.policy.TripReport;
import org.vettedaccess.contracts.policy.TripwireRule;
import org.vettedaccess.policy.grant.GrantChange;
import org.vettedaccess.policy.grant.GrantRecord;
import org.vettedaccess.policy.grant.GrantService;
import org.vettedaccess.policy.killswitch.KillSwitchRecord;
import org.vettedaccess.policy.killswitch.KillSwitchRequest;
import org.vettedaccess.policy.killswitch.KillSwitchService;
import org.vettedaccess.policy.ledger.LedgerRecorder;
import org.vettedaccess.policy.notify.StaffMail;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Tripwire rules and trips (docs/adr/0050-tripwires-on-shared-counters.md). A rule version is written to the ledger
 * before it is stored (permissive: it never skips the log, so every trip names a version already in the log); one
 * policy admin may define or change a rule, since a rule only ever narrows access. A trip is restrictive: it
 * engages the rule's action (a MODEL kill switch through the kill-switch service; for CALLS_FROM_SCOPE an INSTITUTION
 * or COUNTRY switch on the rule's model, or a MODEL switch when its control-failure check trips, ADR 0045; or a
 * grant's suspension) and
 * commits with its {@code tripwire.tripped} leaf in the outbox, never waiting for the ledger. Releasing what a trip
 * engaged is the ordinary release: two admins for a kill switch, an admin's reinstatement for a grant.
 */
@ApplicationScoped
public class TripwireService {

    private static final Logger LOG = Logger.getLogger(TripwireService.class);
    private static final TypeReference<Map<String, Long>> FIGURES = new TypeReference<>() {};

    private final TripwireRepository rules;
    private final TripRepository trips;
    private final KillSwitchService killSwitches;
    private final GrantService grants;
    private final LedgerRecorder ledger;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final StaffMail mail;

    public TripwireService(
            TripwireRepository rules,
            TripRepository trips,
            KillSwitchService killSwitches,
            GrantService grants,
            LedgerRecorder ledger,
            ObjectMapper json,
            MeterRegistry metrics,
            Clock clock,
            StaffMail mail) {
        this.rules = rules;
        this.trips = trips;
        this.killSwitches = killSwitches;
        this.grants = grants;
        this.ledger = ledger;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
        this.mail = mail;
    }

    public List<TripwireRule> list(boolean activeOnly) {
        return rules.all().stream()
                .filter(r -> !activeOnly || r.active)
                .map(this::record)
                .toList();
    }

    public TripwireRule get(UUID id) {
        return record(find(id));
    }

    @Transactional
    public TripwireRule define(TripwireRequest request, String admin) {
        TripwireRuleEntity rule = new TripwireRuleEntity();
        rule.id = UUID.randomUUID();
        rule.version = 1;
        RuleKinds.apply(request, rule);
        record(rule, admin);
        rules.persist(rule);
        return record(rule);
    }

    /** A new version of the rule (the kind may not change: that is a different rule). */
    @Transactional
    public TripwireRule change(UUID id, TripwireRequest request, String admin) {
        TripwireRuleEntity rule = rules.locked(id);
        if (rule == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No tripwire " + id + ".");
        }
        if (request != null && request.kind() != null && !request.kind().equals(rule.kind)) {
            throw ProblemException.invalidField("kind", "cannot change; define a new rule instead");
        }
        RuleKinds.apply(request, rule);
        rule.version++;
        record(rule, admin);
        return record(rule);
    }

    private void record(TripwireRuleEntity rule, String admin) {
        rule.definedBy = admin;
        rule.definedAt = clock.instant();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("ruleId", rule.id.toString());
        entry.put("version", rule.version);
        entry.put("kind", rule.kind);
        entry.put("model", rule.model);
        entry.put("params", RuleKinds.params(rule));
        if (rule.scopeKind != null) {
            entry.put("scope", RuleKinds.scope(rule.scopeKind, rule.scopeValue));
        }
        entry.put("action", rule.action);
        entry.put("active", rule.active);
        entry.put("actors", List.of(admin));
        // Before it is stored, or refused (503) with nothing stored: a trip always names a version in the log.
        rule.leafIndex = ledger.permissive("tripwire:" + rule.id + ":v" + rule.version, "tripwire.changed", entry);
    }

    public List<Trip> trips(int limit) {
        return trips.recent(limit).stream().map(t -> record(t, false)).toList();
    }

    /**
     * A gateway's report that the rule's window crossed its threshold: engages the rule's action at once, unless
     * a trip of the rule already holds it (another replica's report of the same window).
     */
    @Transactional
    public Trip trip(UUID id, TripReport report, String reporter) {
        TripwireRuleEntity rule = rules.locked(id);
        if (rule == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No tripwire " + id + ".");
        }
        if (report == null || report.version() == null || report.version() != rule.version || !rule.active) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "The tripwire is not active at that version; read the rules again.");
        }
        // CALLS_FROM_SCOPE's second check: a call counted from a scope an engaged kill switch names (ADR 0045).
        boolean controlFailure = report.failedSwitchId() != null;
        String refused = RuleKinds.notTripped(rule, report.figures(), controlFailure);
        if (refused != null) {
            throw new ProblemException(
                    ProblemType.POLICY_REFUSED, "The figures do not trip the rule: " + refused + ".");
        }
        TripEntity trip = new TripEntity();
        trip.id = UUID.randomUUID();
        trip.ruleId = rule.id;
        trip.ruleVersion = rule.version;
        trip.ruleLeaf = rule.leafIndex;
        trip.kind = rule.kind;
        trip.model = rule.model;
        trip.reportedBy = reporter;
        trip.trippedAt = clock.instant();
        Map<String, Long> figures = new LinkedHashMap<>();
        for (String name : RuleKinds.figureNames(rule.kind, controlFailure)) {
            figures.put(name, report.figures().get(name));
        }
        String reason = "tripwire " + rule.id + " v" + rule.version + " (" + rule.kind + ") tripped"
                + (controlFailure ? " (a call got past kill switch " + report.failedSwitchId() + ")" : "") + ": "
                + figures;
        if (rule.action.equals(RuleKinds.SUSPEND_GRANT)) {
            if (report.subject() == null || report.grantId() == null) {
                throw ProblemException.invalidField("grantId", "a subject and the grant they called with are required");
            }
            GrantRecord grant = grants.get(report.grantId());
            if (!grant.subject().equals(report.subject()) || !grant.models().contains(rule.model)) {
                throw ProblemException.invalidField("grantId", "is not the subject's grant for the rule's model");
            }
            if (!grant.status().equals("ACTIVE")) {
                // Suspended (or ended) already: nothing to engage.
                return trips.latestOnGrant(rule.id, grant.id())
                        .map(t -> record(t, true))
                        .orElseThrow(() -> new ProblemException(
                                ProblemType.CONFLICT, "The grant is " + grant.status() + " already."));
            }
            var earlier = trips.latestOnGrant(rule.id, grant.id());
            if (earlier.isPresent()
                    && earlier.get()
                            .trippedAt
                            .truncatedTo(ChronoUnit.HOURS)
                            .equals(clock.instant().truncatedTo(ChronoUnit.HOURS))) {
                // Reinstated by an admin after a trip this hour: the hour's tokens that tripped it are still counted,
                // and the admin's reinstatement holds until the next hour.
                return record(earlier.get(), true);
            }
            grants.suspend(grant.id(), new GrantChange(reason), reporter);
            trip.subject = grant.subject();
            trip.grantId = grant.id();
        } else {
            KillSwitchRequest stop = new KillSwitchRequest("MODEL", rule.model, reason);
            if (controlFailure) {
                trip.failedSwitchId = failedSwitch(rule, report).id();
            } else if (rule.kind.equals(RuleKinds.CALLS_FROM_SCOPE)) {
                // Only the rule's model from the rule's scope: from then on a kill switch names the scope.
                stop = new KillSwitchRequest(rule.scopeKind, rule.scopeValue, reason, rule.model);
            }
            var inForce = trips.inForceKillSwitch(rule.id, controlFailure);
            if (inForce.isPresent()) {
                return record(inForce.get(), true);
            }
            KillSwitchRecord engaged = killSwitches.engage(stop, reporter);
            trip.killSwitchId = engaged.id();
        }
        try {
            trip.figures = json.writeValueAsString(figures);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("tripId", trip.id.toString());
        entry.put("ruleId", rule.id.toString());
        entry.put("ruleVersion", rule.version);
        entry.put("ruleLeaf", rule.leafIndex);
        entry.put("kind", rule.kind);
        entry.put("model", rule.model);
        entry.put("figures", figures);
        if (rule.scopeKind != null && !controlFailure) {
            entry.put("scope", RuleKinds.scope(rule.scopeKind, rule.scopeValue));
        }
        if (trip.failedSwitchId != null) {
            entry.put("failedSwitchId", trip.failedSwitchId.toString());
        }
        entry.put("action", rule.action);
        if (trip.killSwitchId != null) {
            entry.put("switchId", trip.killSwitchId.toString());
        }
        if (trip.grantId != null) {
            entry.put("grantId", trip.grantId.toString());
            entry.put("subject", trip.subject);
        }
        entry.put("actors", List.of(reporter));
        entry.put("trippedAt", trip.trippedAt.toString());
        // Restrictive: in force at commit with the kill switch or suspension; the leaf follows from the outbox.
        ledger.restrictive("tripwire:" + trip.id + ":tripped", "tripwire.tripped", entry);
        trips.persist(trip);
        Counter.builder("policy.tripwire.trips")
                .description("Tripwire trips that engaged their action")
                .tag("kind", rule.kind)
                .tag("action", rule.action)
                .register(metrics)
                .increment();
        // The admins' notice: a warning in the log, the metric above, and a mail queued with the trip (ADR 0041).
        mail.tripped(new StaffMail.Trip(
                trip.id,
                rule.id,
                rule.version,
                rule.kind,
                rule.model,
                rule.action,
                figures,
                trip.killSwitchId,
                trip.grantId));
        LOG.warnf(
                "TRIPWIRE %s v%d (%s on %s) tripped, engaged %s%s: %s",
                rule.id,
                rule.version,
                rule.kind,
                rule.model,
                rule.action,
                trip.grantId == null ? " " + trip.killSwitchId : " on grant " + trip.grantId,
                figures);
        return record(trip, false);
    }

    /** The engaged INSTITUTION or COUNTRY switch on the rule's model that a control-failure report names. */
    private KillSwitchRecord failedSwitch(TripwireRuleEntity rule, TripReport report) {
        KillSwitchRecord failed = killSwitches.find(report.failedSwitchId());
        if (failed == null
                || failed.state().equals("RELEASED")
                || !(failed.scope().equals("INSTITUTION") || failed.scope().equals("COUNTRY"))
                || (failed.model() != null && !failed.model().equals(rule.model))) {
            throw ProblemException.invalidField(
                    "failedSwitchId", "is not an engaged INSTITUTION or COUNTRY kill switch on the rule's model");
        }
        return failed;
    }

    private TripwireRule record(TripwireRuleEntity r) {
        List<TripwireRule.EngagedScope> engaged = r.kind.equals(RuleKinds.CALLS_FROM_SCOPE)
                ? killSwitches.engagedScoped(r.model).stream()
                        .map(s -> new TripwireRule.EngagedScope(s.id(), s.scope(), s.value(), s.engagedAt()))
                        .toList()
                : List.of();
        return new TripwireRule(
                r.id,
                r.version,
                r.kind,
                r.model,
                r.windowSeconds,
                r.thresholdPercent,
                r.minCalls,
                r.multiplePercent / 100.0,
                r.baselineFloorTokens,
                r.allowedFromHour,
                r.allowedToHour,
                r.action,
                r.active,
                r.definedBy,
                r.definedAt,
                r.leafIndex,
                trips.lastTripped(r.id),
                r.scopeKind,
                r.scopeValue,
                engaged);
    }

    private Trip record(TripEntity t, boolean alreadyInForce) {
        Map<String, Long> figures;
        try {
            figures = json.readValue(t.figures, FIGURES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Trip(
                t.id,
                t.ruleId,
                t.ruleVersion,
                t.ruleLeaf,
                t.kind,
                t.model,
                t.subject,
                t.grantId,
                t.killSwitchId,
                figures,
                t.trippedAt,
                t.leafIndex,
                alreadyInForce,
                t.failedSwitchId);
    }

    private TripwireRuleEntity find(UUID id) {
        TripwireRuleEntity rule = rules.findById(id);
        if (rule == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No tripwire " + id + ".");
        }
        return rule;
    }
}
