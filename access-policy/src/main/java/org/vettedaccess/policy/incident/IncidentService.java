package org.vettedaccess.policy.incident;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vettedaccess.contracts.policy.FileIncidentRequest;
import org.vettedaccess.policy.catalog.ModelRepository;
import org.vettedaccess.policy.killswitch.KillSwitchRecord;
import org.vettedaccess.policy.killswitch.KillSwitchRequest;
import org.vettedaccess.policy.killswitch.KillSwitchService;
import org.vettedaccess.policy.ledger.LedgerRecorder;
import org.vettedaccess.policy.notify.StaffMail;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Flaw and incident reports and their triage (issue 21; ADR 0040). Filing and every answer wait for their leaf
 * (the leaf is the reporter's proof and the measure of the lab's deadlines, so nothing is stored that the log does
 * not show; 503 and nothing stored while the ledger is away), except the one-click kill switch, which is
 * restrictive: it takes effect at commit whatever is down, its kill-switch and mitigated leaves from the outbox.
 */
@ApplicationScoped
public class IncidentService {

    static final int MAX_RECEIPTS = 20;
    static final int MAX_TEXT = 20_000;
    private static final java.util.regex.Pattern MODEL_ID =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final IncidentRepository incidents;
    private final ModelRepository models;
    private final LedgerRecorder ledger;
    private final KillSwitchService killSwitches;
    private final IncidentConfig config;
    private final IncidentClock clock;
    private final StaffMail mail;

    public IncidentService(
            IncidentRepository incidents,
            ModelRepository models,
            LedgerRecorder ledger,
            KillSwitchService killSwitches,
            IncidentConfig config,
            IncidentClock clock,
            StaffMail mail) {
        this.incidents = incidents;
        this.models = models;
        this.ledger = ledger;
        this.killSwitches = killSwitches;
        this.config = config;
        this.clock = clock;
        this.mail = mail;
    }

    @Transactional
    public IncidentRecord file(FileIncidentRequest request) {
        if (request == null || request.reporter() == null || request.reporter().isBlank()) {
            throw ProblemException.invalidField("reporter", "is required");
        }
        if (request.model() == null
                || !MODEL_ID.matcher(request.model()).matches()
                || models.findById(request.model()) == null) {
            throw ProblemException.invalidField("model", "must be a model in the catalog");
        }
        Category category = category(request.category());
        Severity severity = Severity.parse(request.severity(), "severity");
        String text = request.description();
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            throw ProblemException.invalidField("description", "is required (1 to " + MAX_TEXT + " characters)");
        }
        if (text.indexOf('\u0000') >= 0) {
            // PostgreSQL text cannot hold NUL.
            throw ProblemException.invalidField("description", "may not contain NUL characters");
        }
        List<FileIncidentRequest.Receipt> receipts = request.receipts() == null ? List.of() : request.receipts();
        if (receipts.size() > MAX_RECEIPTS) {
            throw ProblemException.invalidField("receipts", "may attach at most " + MAX_RECEIPTS + " calls");
        }
        Set<UUID> seen = new HashSet<>();
        for (FileIncidentRequest.Receipt receipt : receipts) {
            if (receipt == null
                    || receipt.requestId() == null
                    || receipt.leafIndex() == null
                    || receipt.leafIndex() < 0) {
                throw ProblemException.invalidField("receipts", "each needs a requestId and its leafIndex");
            }
            if (!seen.add(receipt.requestId())) {
                throw ProblemException.invalidField("receipts", "attach each call once");
            }
        }
        IncidentEntity incident = new IncidentEntity();
        incident.id = UUID.randomUUID();
        incident.reporter = request.reporter();
        incident.model = request.model();
        incident.category = category.name();
        incident.severity = severity.name();
        incident.description = text;
        incident.textSalt = newSalt();
        incident.textCommitment = commitment(incident.textSalt, text);
        incident.receiptIds =
                receipts.stream().map(r -> r.requestId().toString()).toArray(String[]::new);
        incident.receiptLeaves =
                receipts.stream().map(FileIncidentRequest.Receipt::leafIndex).toArray(Long[]::new);
        incident.status = IncidentStatus.REPORTED.name();
        incident.reportedAt = clock.now();
        Deadlines deadlines = Deadlines.of(config, severity);
        incident.acknowledgeBy = deadlines.acknowledgeBy(incident.reportedAt);
        incident.mitigateBy = deadlines.mitigateBy(incident.reportedAt);
        incident.embargoUntil = incident.reportedAt.plus(config.embargo());
        incident.updatedAt = incident.reportedAt;
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("reportId", incident.id.toString());
        entry.put("model", incident.model);
        entry.put("category", incident.category);
        entry.put("severity", incident.severity);
        entry.put("textCommitment", incident.textCommitment);
        entry.put("receiptLeaves", List.of(incident.receiptLeaves));
        entry.put("reporter", incident.reporter);
        entry.put("acknowledgeBy", incident.acknowledgeBy.toString());
        entry.put("mitigateBy", incident.mitigateBy.toString());
        entry.put("embargoUntil", incident.embargoUntil.toString());
        // The reporter's proof is this leaf: the report exists only once the ledger holds it (503 otherwise).
        incident.reportedLeaf = ledger.permissive("incident:" + incident.id + ":reported", "incident.reported", entry);
        incidents.persist(incident);
        // Queued with the report; sent after commit on the mail relay's thread, so SMTP can neither fail nor slow it.
        mail.reportFiled(new StaffMail.FiledReport(
                incident.id,
                incident.model,
                incident.category,
                incident.severity,
                incident.reportedAt,
                incident.acknowledgeBy));
        return IncidentRecord.of(incident, List.of(), clock.now());
    }

    public List<IncidentRecord> ofReporter(String reporter) {
        Instant now = clock.now();
        return incidents.ofReporter(reporter).stream()
                .map(i -> IncidentRecord.of(i, incidents.events(i.id), now))
                .toList();
    }

    public List<IncidentRecord> all() {
        Instant now = clock.now();
        return incidents.newestFirst().stream()
                .map(i -> IncidentRecord.of(i, incidents.events(i.id), now))
                .toList();
    }

    public IncidentRecord get(UUID id) {
        IncidentEntity incident = incidents.findById(id);
        if (incident == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No report " + id + ".");
        }
        return IncidentRecord.of(incident, incidents.events(id), clock.now());
    }

    /** Open reports and breached deadlines, without text or reporter (the regulator's console). */
    public IncidentSummary.Overview overview() {
        Instant now = clock.now();
        List<IncidentSummary> summaries = incidents.newestFirst().stream()
                .map(i -> IncidentSummary.of(i, incidents.events(i.id), now))
                .toList();
        return new IncidentSummary.Overview(
                now,
                summaries.size(),
                summaries.stream()
                        .filter(s -> IncidentStatus.valueOf(s.status()).open())
                        .toList(),
                summaries.stream()
                        .filter(s -> s.acknowledgementBreached() || s.mitigationBreached())
                        .toList());
    }

    /** A triager's answer: acknowledge, triage, mitigate, disclose or reject; each a leaf first (503 otherwise). */
    @Transactional
    public IncidentRecord answer(UUID id, String action, StatusRequest request, String actor) {
        IncidentStatus target = switch (action) {
            case "acknowledge" -> IncidentStatus.ACKNOWLEDGED;
            case "triage" -> IncidentStatus.TRIAGED;
            case "mitigate" -> IncidentStatus.MITIGATED;
            case "disclose" -> IncidentStatus.DISCLOSED;
            case "reject" -> IncidentStatus.REJECTED;
            default -> throw new ProblemException(ProblemType.NOT_FOUND, "No action " + action + ".");
        };
        StatusRequest body = request == null ? new StatusRequest(null, null, null, null) : request;
        IncidentEntity incident = lockedOpenTo(id, target);
        Instant now = clock.now();
        IncidentEventEntity event = event(incident, target, actor, now);
        event.reason = optionalText(body.reason(), "reason", 500);
        switch (target) {
            case TRIAGED -> {
                Severity confirmed = Severity.parse(body.severity(), "severity");
                event.severity = confirmed.name();
                incident.confirmedSeverity = confirmed.name();
                // The mitigation deadline follows the confirmed severity, counted from filing.
                incident.mitigateBy = Deadlines.of(config, confirmed).mitigateBy(incident.reportedAt);
            }
            case MITIGATED -> {
                event.mitigation = mitigation(body.mitigation());
                event.changeRef = optionalText(body.change(), "change", 200);
                if (event.changeRef == null) {
                    throw ProblemException.invalidField(
                            "change", "must name the change (a kill switch, tier or model version)");
                }
                if (event.mitigation.equals("KILL_SWITCH")) {
                    UUID switchId = MitigationChange.killSwitchId(event.changeRef);
                    if (killSwitches.list().stream().noneMatch(k -> k.id().equals(switchId))) {
                        throw ProblemException.invalidField("change", "names no kill switch (" + switchId + ")");
                    }
                    event.switchId = switchId;
                    event.changeRef = MitigationChange.killSwitchRef(switchId);
                }
                incident.mitigatedAt = now;
            }
            case REJECTED -> {
                if (event.reason == null) {
                    throw ProblemException.invalidField("reason", "is required to reject a report");
                }
            }
            default -> {}
        }
        if (incident.answeredAt == null) {
            incident.answeredAt = now;
        }
        event.leafIndex = ledger.permissive(
                "incident:" + incident.id + ":" + target.name().toLowerCase(java.util.Locale.ROOT),
                target.leafType(),
                leaf(incident, event));
        incident.status = target.name();
        incident.updatedAt = now;
        incidents.persistEvent(event);
        return IncidentRecord.of(incident, incidents.events(id), now);
    }

    /**
     * The one-click answer to a critical report: a MODEL kill switch on the reported model, engaged at once (it
     * never waits on the ledger), and the report mitigated by it. The kill switch's leaf names the report and the
     * mitigated leaf names the switch; both go through the outbox in this transaction.
     */
    @Transactional
    public IncidentRecord killSwitch(UUID id, String actor) {
        IncidentEntity incident = lockedOpenTo(id, IncidentStatus.MITIGATED);
        if (incident.currentSeverity() != Severity.CRITICAL) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "The one-click kill switch answers critical reports only.");
        }
        KillSwitchRecord engaged = killSwitches.engage(
                new KillSwitchRequest("MODEL", incident.model, "critical incident report " + incident.id),
                actor,
                incident.id);
        Instant now = clock.now();
        IncidentEventEntity event = event(incident, IncidentStatus.MITIGATED, actor, now);
        event.mitigation = "KILL_SWITCH";
        event.changeRef = MitigationChange.killSwitchRef(engaged.id());
        event.switchId = engaged.id();
        ledger.restrictive("incident:" + incident.id + ":mitigated", "incident.mitigated", leaf(incident, event));
        incident.status = IncidentStatus.MITIGATED.name();
        incident.mitigatedAt = now;
        if (incident.answeredAt == null) {
            incident.answeredAt = now;
        }
        incident.updatedAt = now;
        incidents.persistEvent(event);
        return IncidentRecord.of(incident, incidents.events(id), now);
    }

    /** Moves the incident clock (end-to-end runs only). */
    public Duration offsetClock(Duration offset) {
        clock.offset(offset);
        return clock.offset();
    }

    private IncidentEntity lockedOpenTo(UUID id, IncidentStatus target) {
        IncidentEntity incident = incidents.locked(id);
        if (incident == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No report " + id + ".");
        }
        if (!incident.state().canBecome(target)) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "A " + incident.status + " report cannot become " + target + ".");
        }
        return incident;
    }

    private static IncidentEventEntity event(IncidentEntity incident, IncidentStatus status, String actor, Instant at) {
        IncidentEventEntity event = new IncidentEventEntity();
        event.incidentId = incident.id;
        event.status = status.name();
        event.actor = actor;
        event.at = at;
        return event;
    }

    private static Map<String, Object> leaf(IncidentEntity incident, IncidentEventEntity event) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("reportId", incident.id.toString());
        entry.put("reportLeaf", incident.reportedLeaf);
        entry.put("model", incident.model);
        entry.put(
                "severity",
                event.severity != null
                        ? event.severity
                        : incident.currentSeverity().name());
        entry.put("actor", event.actor);
        if (event.reason != null) {
            entry.put("reason", event.reason);
        }
        if (event.mitigation != null) {
            entry.put("mitigation", event.mitigation);
        }
        if (event.changeRef != null) {
            entry.put("change", event.changeRef);
        }
        if (event.switchId != null) {
            entry.put("switchId", event.switchId.toString());
        }
        return entry;
    }

    private static Category category(String value) {
        try {
            return Category.valueOf(value == null ? "" : value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("category", "must be one of " + List.of(Category.values()));
        }
    }

    private static String mitigation(String value) {
        Set<String> kinds = Set.of("KILL_SWITCH", "TIER_CHANGE", "MODEL_CHANGE", "OTHER");
        if (value == null || !kinds.contains(value.strip())) {
            throw ProblemException.invalidField(
                    "mitigation", "must be one of KILL_SWITCH, TIER_CHANGE, MODEL_CHANGE, OTHER");
        }
        return value.strip();
    }

    private static String optionalText(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.indexOf('\u0000') >= 0) {
            throw ProblemException.invalidField(field, "may not contain NUL characters");
        }
        if (value.length() > max) {
            throw ProblemException.invalidField(field, "may have at most " + max + " characters");
        }
        return value.strip();
    }

    /** Hex SHA-256 of the salt's bytes followed by the text's UTF-8: the reporter can open it, nobody can guess it. */
    static String commitment(String salt, String text) {
        return org.vettedaccess.policy.ledger.Commitments.of(salt, text);
    }

    private static String newSalt() {
        return org.vettedaccess.policy.ledger.Commitments.salt();
    }
}
