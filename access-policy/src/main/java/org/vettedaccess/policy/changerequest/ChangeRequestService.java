package org.vettedaccess.policy.changerequest;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * The second pair of eyes on a permissive catalog or tier change: a different policy admin confirms it (then it
 * applies, with its leaf naming both), or it is withdrawn by its requester or refused by another admin.
 */
@ApplicationScoped
public class ChangeRequestService {

    private static final Set<String> STATUSES = Set.of("PENDING", "APPLIED", "WITHDRAWN", "REFUSED");

    private final ChangeRequestRepository repository;
    private final ChangeRequests requests;
    private final Map<String, ChangeKind> kinds = new HashMap<>();

    public ChangeRequestService(
            ChangeRequestRepository repository, ChangeRequests requests, @All List<ChangeKind> kinds) {
        this.repository = repository;
        this.requests = requests;
        for (ChangeKind kind : kinds) {
            if (this.kinds.put(kind.kind(), kind) != null) {
                throw new IllegalStateException("two features apply change requests of kind " + kind.kind());
            }
        }
    }

    public List<ChangeRequestRecord> list(String status) {
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.invalidField("status", "must be one of " + STATUSES);
        }
        return repository.withStatus(status).stream().map(this::record).toList();
    }

    public ChangeRequestRecord get(UUID id) {
        return record(found(repository.findById(id), id));
    }

    /** Applies the change; its requester cannot (409), nor can anyone once it is no longer pending (409). */
    @Transactional
    public ChangeRequestRecord confirm(UUID id, String admin) {
        ChangeRequestEntity request = pending(id);
        if (request.requestedBy.equals(admin)) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "A catalog or tier change that loosens access needs a second, different policy admin to confirm.");
        }
        kind(request).confirm(request, admin);
        return record(request);
    }

    /** Closes it unapplied: WITHDRAWN when its requester asks, REFUSED when another admin does. */
    @Transactional
    public ChangeRequestRecord withdraw(UUID id, String admin) {
        ChangeRequestEntity request = pending(id);
        requests.closed(request, admin);
        return record(request);
    }

    private ChangeRequestRecord record(ChangeRequestEntity request) {
        return ChangeRequests.record(request, kind(request).proposed(request));
    }

    private ChangeKind kind(ChangeRequestEntity request) {
        ChangeKind kind = kinds.get(request.kind);
        if (kind == null) {
            throw new IllegalStateException("no feature applies change requests of kind " + request.kind);
        }
        return kind;
    }

    private ChangeRequestEntity pending(UUID id) {
        ChangeRequestEntity request = found(repository.locked(id), id);
        if (!"PENDING".equals(request.status)) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "The change request is " + request.status + ", no longer pending.");
        }
        return request;
    }

    private static ChangeRequestEntity found(ChangeRequestEntity request, UUID id) {
        if (request == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No change request " + id + ".");
        }
        return request;
    }
}
