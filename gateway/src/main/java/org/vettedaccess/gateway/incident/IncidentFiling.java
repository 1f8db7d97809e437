package org.vettedaccess.gateway.incident;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.vettedaccess.contracts.policy.FileIncidentRequest;
import org.vettedaccess.gateway.usage.OutboxRepository;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Files a researcher's flaw or incident report (issue 21; ADR 0040). The gateway is the only party that knows
 * which calls are whose, so it resolves each attached receipt ({@code x-request-id}) to its usage leaf <em>for
 * this researcher</em> and refuses a receipt that is not theirs, before access-policy, which holds reports and
 * their triage, ever sees the report.
 */
@ApplicationScoped
public class IncidentFiling {

    static final int MAX_RECEIPTS = 20;

    private final OutboxRepository calls;
    private final IncidentClient policy;

    public IncidentFiling(OutboxRepository calls, IncidentClient policy) {
        this.calls = calls;
        this.policy = policy;
    }

    /**
     * A report as a researcher writes it.
     *
     * @param receipts the x-request-ids of the researcher's calls that show it
     */
    public record Report(String model, String category, String severity, String description, List<String> receipts) {}

    public Map<String, Object> file(String subject, Report report) {
        if (report == null) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "A report is required.");
        }
        List<String> receipts = report.receipts() == null ? List.of() : report.receipts();
        if (receipts.size() > MAX_RECEIPTS) {
            throw ProblemException.invalidField("receipts", "may attach at most " + MAX_RECEIPTS + " calls");
        }
        List<FileIncidentRequest.Receipt> resolved = new ArrayList<>();
        for (int i = 0; i < receipts.size(); i++) {
            resolved.add(resolve(subject, receipts.get(i), "receipts[" + i + "]"));
        }
        try {
            return policy.file(new FileIncidentRequest(
                    subject, report.model(), report.category(), report.severity(), report.description(), resolved));
        } catch (TimeoutException e) {
            throw new ProblemException(
                    ProblemType.UNAVAILABLE,
                    "access-policy did not answer in time; check your reports before filing again.");
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "Reports cannot be filed now; nothing was filed.");
        }
    }

    /** One receipt of this subject's, with its usage leaf; any other receipt is refused the same way, found or not. */
    private FileIncidentRequest.Receipt resolve(String subject, String receipt, String field) {
        UUID requestId;
        try {
            requestId = UUID.fromString(receipt == null ? "" : receipt.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(field, "must be the x-request-id of one of your calls");
        }
        Optional<OutboxRepository.CallReceipt> call;
        try {
            call = calls.receipt(requestId, subject);
        } catch (SQLException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "Receipts cannot be read now; nothing was filed.");
        }
        OutboxRepository.CallReceipt own = call.orElseThrow(
                () -> ProblemException.invalidField(field, "is not a call of yours (" + requestId + ")"));
        if (own.ledgerIndex() == null) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "'" + field + "' (" + requestId + ") is not in the ledger yet; try again in a few seconds.");
        }
        return new FileIncidentRequest.Receipt(requestId, own.ledgerIndex());
    }
}
