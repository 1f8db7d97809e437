package org.vettedaccess.policy.changerequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.vettedaccess.policy.ledger.LedgerRecorder;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Opening and closing change requests, for the catalog and the tiers. A request is a leaf first: if the ledger
 * cannot take it, nothing is stored (503).
 */
@ApplicationScoped
public class ChangeRequests {

    public static final String MODEL = "MODEL";
    public static final String TIER = "TIER";

    private final ChangeRequestRepository requests;
    private final LedgerRecorder ledger;
    private final ObjectMapper json;
    private final Clock clock;

    public ChangeRequests(ChangeRequestRepository requests, LedgerRecorder ledger, ObjectMapper json, Clock clock) {
        this.requests = requests;
        this.ledger = ledger;
        this.json = json;
        this.clock = clock;
    }

    /** Holds changes to {@code target} (e.g. "model:sim-small", "tier:1") back until this transaction ends. */
    public void lockTarget(String target) {
        requests.lockTarget(target);
    }

    /**
     * Stores a pending change after its {@code leafType} leaf (from {@code leaf}, given the change's id) is in
     * the ledger; call inside the transaction.
     */
    public ChangeRequestRecord open(
            String kind,
            String target,
            int baseVersion,
            Object proposed,
            String admin,
            String leafType,
            Function<UUID, Map<String, Object>> leaf) {
        ChangeRequestEntity request = new ChangeRequestEntity();
        request.id = UUID.randomUUID();
        request.kind = kind;
        request.target = target;
        request.baseVersion = baseVersion;
        request.proposed = write(proposed);
        request.status = "PENDING";
        request.requestedBy = admin;
        request.requestedAt = clock.instant();
        request.requestedLeaf = ledger.permissive(
                kind.toLowerCase() + "-change:" + request.id + ":requested", leafType, leaf.apply(request.id));
        requests.persist(request);
        return record(request, proposed);
    }

    /** Marks a locked, pending request as applied by {@code admin} with its leaf. */
    public void applied(ChangeRequestEntity request, String admin, long leaf) {
        request.status = "APPLIED";
        request.decidedBy = admin;
        request.decidedAt = clock.instant();
        request.appliedLeaf = leaf;
    }

    /** Closes a locked, pending request unapplied: WITHDRAWN by its requester, REFUSED by another admin. */
    public void closed(ChangeRequestEntity request, String admin) {
        request.status = admin.equals(request.requestedBy) ? "WITHDRAWN" : "REFUSED";
        request.decidedBy = admin;
        request.decidedAt = clock.instant();
    }

    /** The state a stored request would set, read back as the feature's record ({@link ChangeKind#proposed}). */
    public <T> T proposed(ChangeRequestEntity request, Class<T> type) {
        return read(request.proposed, type);
    }

    /** The request as the API shows it, with {@code proposed} (its {@link ChangeKind}'s record) under its kind. */
    public static ChangeRequestRecord record(ChangeRequestEntity r, Object proposed) {
        return new ChangeRequestRecord(
                r.id,
                r.kind,
                r.target,
                r.baseVersion,
                r.status,
                MODEL.equals(r.kind) ? proposed : null,
                TIER.equals(r.kind) ? proposed : null,
                r.requestedBy,
                r.requestedAt,
                r.requestedLeaf,
                r.decidedBy,
                r.decidedAt,
                r.appliedLeaf);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a change request could not be written as JSON", e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.INTERNAL, "A stored change request could not be read.");
        }
    }
}
