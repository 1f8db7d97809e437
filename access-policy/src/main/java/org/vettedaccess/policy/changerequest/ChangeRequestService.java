package org.vettedaccess.policy.changerequest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.vettedaccess.policy.catalog.CatalogService;
import org.vettedaccess.policy.tier.TierService;
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
    private final CatalogService catalog;
    private final TierService tiers;

    public ChangeRequestService(
            ChangeRequestRepository repository, ChangeRequests requests, CatalogService catalog, TierService tiers) {
        this.repository = repository;
        this.requests = requests;
        this.catalog = catalog;
        this.tiers = tiers;
    }

    public List<ChangeRequestRecord> list(String status) {
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.invalidField("status", "must be one of " + STATUSES);
        }
        return repository.withStatus(status).stream().map(requests::record).toList();
    }

    public ChangeRequestRecord get(UUID id) {
        return requests.record(found(repository.findById(id), id));
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
        if (ChangeRequests.MODEL.equals(request.kind)) {
            catalog.confirm(request, admin);
        } else {
            tiers.confirm(request, admin);
        }
        return requests.record(request);
    }

    /** Closes it unapplied: WITHDRAWN when its requester asks, REFUSED when another admin does. */
    @Transactional
    public ChangeRequestRecord withdraw(UUID id, String admin) {
        ChangeRequestEntity request = pending(id);
        requests.closed(request, admin);
        return requests.record(request);
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
